package io.minitoolstream.devservices;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the JDK's own {@code keytool}: a PKCS12 key
 * store for the server and a PKCS12 trust store holding only the certificate, for clients.
 */
public record SelfSignedCertificate(Path keyStore, Path trustStore, String password) {

    /** Creates both stores in {@code dir} (reusing them when they are already there). */
    public static SelfSignedCertificate createIn(Path dir) {
        Path keyStore = dir.resolve("server.p12");
        Path trustStore = dir.resolve("trust.p12");
        Path password = dir.resolve("password");
        try {
            if (Files.exists(keyStore) && Files.exists(trustStore) && Files.exists(password)) {
                return new SelfSignedCertificate(keyStore, trustStore, Files.readString(password));
            }
            Files.createDirectories(dir);
            String secret = Secrets.random(24);
            Path certificate = dir.resolve("server.crt");
            keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                    "-keystore", keyStore.toString(), "-storepass", secret, "-keypass", secret);
            keytool("-exportcert", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", secret,
                    "-file", certificate.toString());
            keytool("-importcert", "-noprompt", "-alias", "server", "-file", certificate.toString(), "-storetype",
                    "PKCS12", "-keystore", trustStore.toString(), "-storepass", secret);
            Files.writeString(password, secret);
            return new SelfSignedCertificate(keyStore, trustStore, secret);
        } catch (IOException e) {
            throw new DevServicesException("Could not create a self-signed certificate in " + dir + ": "
                                           + e.getMessage(), e);
        }
    }

    private static void keytool(String... arguments) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }

    /** Deliberately leaves the password out. */
    @Override
    public String toString() {
        return "SelfSignedCertificate[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
    }
}
