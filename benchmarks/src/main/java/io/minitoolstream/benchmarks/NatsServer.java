package io.minitoolstream.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The peer broker: {@code nats-server -js} as a child process on a free loopback port, JetStream file storage in a
 * temp directory. Installs Debian's {@code nats-server} package when the binary is missing and we are root.
 * Killed on {@link #close()} and by a shutdown hook.
 */
final class NatsServer implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    private static final List<String> CANDIDATES = List.of("nats-server", "/usr/sbin/nats-server",
            "/usr/bin/nats-server", "/usr/local/bin/nats-server");

    private final Path storeDir;
    private final Path logFile;
    private final int port;
    private final Process process;
    private final Thread shutdownHook;
    private final String version;

    private NatsServer(Path storeDir, Path logFile, int port, Process process, Thread shutdownHook, String version) {
        this.storeDir = storeDir;
        this.logFile = logFile;
        this.port = port;
        this.process = process;
        this.shutdownHook = shutdownHook;
        this.version = version;
    }

    static NatsServer start() throws IOException, InterruptedException {
        String binary = findOrInstall();
        String version = run(binary, "--version").strip();
        Path storeDir = Files.createTempDirectory("bench-nats-js-");
        Path logFile = storeDir.resolveSibling(storeDir.getFileName() + ".log");
        int port = freePort();
        Process process = new ProcessBuilder(binary, "-js", "-sd", storeDir.toString(), "-a", LOOPBACK,
                "-p", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        Thread hook = new Thread(() -> {
            process.destroyForcibly();
            deleteTree(storeDir);
        }, "nats-server-kill");
        Runtime.getRuntime().addShutdownHook(hook);
        NatsServer server = new NatsServer(storeDir, logFile, port, process, hook, version);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!accepts(port) || !Files.readString(logFile).contains("Server is ready")) {
            if (!process.isAlive()) {
                String log = Files.readString(logFile);
                server.close();
                throw new IOException("nats-server exited with " + process.exitValue() + ":\n" + log);
            }
            if (System.nanoTime() > deadline) {
                server.close();
                throw new IOException("nats-server was not ready within 20 s; log: " + logFile);
            }
            Thread.sleep(50);
        }
        Log.info("nats-server %s (JetStream, file storage in %s) on %s", version, storeDir, url(port));
        return server;
    }

    String url() {
        return url(port);
    }

    private static String url(int port) {
        return "nats://" + LOOPBACK + ":" + port;
    }

    String version() {
        return version;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        deleteTree(storeDir);
        try {
            Files.deleteIfExists(logFile);
        } catch (IOException ignored) {
            // a temp file
        }
    }

    /** The nats-server binary; installs Debian's package (apt-get, as root) when none is found. */
    static String findOrInstall() throws IOException, InterruptedException {
        String found = find();
        if (found != null) {
            return found;
        }
        boolean root = "0".equals(run("id", "-u").strip());
        List<String> sudo = root ? List.of() : List.of("sudo", "-n");
        Log.info("nats-server not found: installing Debian's package (apt-get install -y nats-server)");
        if (!install(sudo, "install", "-y", "-q", "nats-server")) {
            install(sudo, "update", "-q");
            if (!install(sudo, "install", "-y", "-q", "nats-server")) {
                throw new IOException("could not install nats-server with apt-get" + (root ? "" : " (not root; sudo -n)")
                        + "; install it yourself (apt-get install nats-server)");
            }
        }
        found = find();
        if (found == null) {
            throw new IOException("nats-server still not found after apt-get install");
        }
        return found;
    }

    private static boolean install(List<String> sudo, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(sudo);
        command.add("apt-get");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        return builder.start().waitFor() == 0;
    }

    private static String find() {
        for (String candidate : CANDIDATES) {
            if (candidate.contains("/")) {
                if (Files.isExecutable(Path.of(candidate))) {
                    return candidate;
                }
                continue;
            }
            String path = System.getenv("PATH");
            if (path == null) {
                continue;
            }
            for (String dir : path.split(":")) {
                Path file = Path.of(dir, candidate);
                if (Files.isExecutable(file)) {
                    return file.toString();
                }
            }
        }
        return null;
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor(10, TimeUnit.SECONDS);
        return output;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
