package io.minitoolstream.examples;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

import io.minitoolstream.devservices.S3Server;
import io.minitoolstream.devservices.TarantoolServer;

/**
 * The embedded servers' connection settings as a properties file ({@code camel.component.minitoolstream.*} keys,
 * readable by Camel JBang and any camel-main application; owner-only permissions, it holds the credentials), plus
 * where the application's gRPC services listen (for {@code bin/run client}). The next run reads it back to reuse
 * the credentials and ports, so whatever points at the embedded servers keeps working across restarts.
 */
final class ConnectionFile {

    static final String COMPONENT = "camel.component.minitoolstream.";
    static final String ADDRESSES = COMPONENT + "addresses";
    static final String USERNAME = COMPONENT + "username";
    static final String PASSWORD = COMPONENT + "password";
    static final String S3_ENDPOINT = COMPONENT + "s3-endpoint";
    static final String S3_REGION = COMPONENT + "s3-region";
    static final String ACCESS_KEY = COMPONENT + "access-key";
    static final String SECRET_KEY = COMPONENT + "secret-key";
    static final String BUCKET = COMPONENT + "bucket";
    static final String CLIENT_INGRESS = "minitoolstream.client.ingress";
    static final String CLIENT_EGRESS = "minitoolstream.client.egress";

    private final Path file;
    private final Properties previous;

    private ConnectionFile(Path file, Properties previous) {
        this.file = file;
        this.previous = previous;
    }

    /** The file at {@code location} and what an earlier run wrote there (nothing when absent or unreadable). */
    static ConnectionFile at(Path location) {
        Properties previous = new Properties();
        if (Files.isRegularFile(location)) {
            try (Reader in = Files.newBufferedReader(location, StandardCharsets.UTF_8)) {
                previous.load(in);
            } catch (IOException | IllegalArgumentException e) {
                previous.clear();
            }
        }
        return new ConnectionFile(location.toAbsolutePath(), previous);
    }

    Path path() {
        return file;
    }

    Optional<String> previous(String key) {
        return Optional.ofNullable(previous.getProperty(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The previous run's Tarantool port, if it is free now. */
    int previousTarantoolPort() {
        return previous(ADDRESSES).map(a -> a.substring(a.lastIndexOf(':') + 1)).map(ConnectionFile::freeOrZero)
                .orElse(0);
    }

    /** The previous run's S3 port, if it is free now. */
    int previousS3Port() {
        return previous(S3_ENDPOINT).map(e -> String.valueOf(URI.create(e).getPort()))
                .map(ConnectionFile::freeOrZero).orElse(0);
    }

    void write(TarantoolServer tarantool, S3Server s3, String bucket, String ingress, String egress) {
        Properties values = new Properties();
        values.setProperty(ADDRESSES, tarantool.address());
        values.setProperty(USERNAME, tarantool.username());
        values.setProperty(PASSWORD, tarantool.password());
        values.setProperty(S3_ENDPOINT, s3.endpoint());
        values.setProperty(S3_REGION, s3.region());
        values.setProperty(ACCESS_KEY, s3.accessKey());
        values.setProperty(SECRET_KEY, s3.secretKey());
        values.setProperty(BUCKET, bucket);
        values.setProperty(CLIENT_INGRESS, ingress);
        values.setProperty(CLIENT_EGRESS, egress);
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(temp,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                out.write("# The MiniToolStream examples application's embedded servers (written " + Instant.now()
                          + "), for Camel JBang\n# (camel run route.yaml " + file.getFileName()
                          + "), bin/run client and other tools. Holds credentials: keep it private.\n");
                for (String key : new String[] { ADDRESSES, USERNAME, PASSWORD, S3_ENDPOINT, S3_REGION, ACCESS_KEY,
                        SECRET_KEY, BUCKET, CLIENT_INGRESS, CLIENT_EGRESS }) {
                    out.write(key + "=" + escape(values.getProperty(key)) + "\n");
                }
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the connection settings to " + file, e);
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }

    private static int freeOrZero(String port) {
        try {
            int number = Integer.parseInt(port);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), number));
                return number;
            }
        } catch (IOException | IllegalArgumentException e) {
            return 0;
        }
    }
}
