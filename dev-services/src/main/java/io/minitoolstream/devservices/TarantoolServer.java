package io.minitoolstream.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Tarantool running the project's {@code lua/init.lua} as a child process, listening on a
 * free loopback port with its data in a temp directory (or a given one).
 *
 * <p>The {@code tarantool} binary comes from PATH (Debian/Ubuntu: {@code apt-get install
 * tarantool}). The lua directory is found by {@link LuaDir#locate()} unless given. The process is
 * configured only through {@code MTS_*} environment variables and is ready once it prints a line
 * starting with {@value #READY_PREFIX} and its port accepts connections. Its output goes to the
 * SLF4J logger {@code io.minitoolstream.devservices.TarantoolServer.output} at debug.
 *
 * <p>An admin console listens on a Unix socket ({@code MTS_ADMIN_SOCKET}, owner-only, in the data
 * directory or a short temp directory): {@link #adminEval(String)} runs Lua there as the admin
 * user, for operator actions the application user must not have, such as failover
 * ({@link TarantoolReplicaSet#promoteReplica()}). {@code Builder.adminConsole(false)} turns it off.
 *
 * <p>A JVM shutdown hook kills the process, so a crashed test run leaves no Tarantool behind.
 * {@link #close()} stops it and deletes the data directory if this server created it.
 */
public final class TarantoolServer implements AutoCloseable {

    public static final String DEFAULT_USER = "minitoolstream";
    public static final long DEFAULT_MEMTX_MEMORY = 256L * 1024 * 1024;
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_ADMIN_TIMEOUT = Duration.ofSeconds(30);
    static final String READY_PREFIX = "MiniToolStream ready";
    static final String ADMIN_SOCKET_NAME = "admin.sock";
    // sun_path holds 108 bytes including the terminating NUL.
    private static final int MAX_SOCKET_PATH_BYTES = 107;

    private static final Logger LOG = LoggerFactory.getLogger(TarantoolServer.class);
    private static final Logger OUTPUT_LOG = LoggerFactory.getLogger(TarantoolServer.class.getName() + ".output");
    private static final long STOP_GRACE_MILLIS = 5_000;
    private static final int MAX_BIND_ATTEMPTS = 5;

    private final String binary;
    private final Path luaDir;
    private final boolean ownsDataDir;
    private final String username;
    private final String password;
    private final long memtxMemory;
    private final Duration startupTimeout;
    private final Map<String, String> extraEnv;
    private final boolean adminConsole;

    private Path dataDir;
    private Path adminSocket;
    private Path adminSocketDir;
    private int port;
    private boolean portPinned;
    private Process process;
    private ProcessOutput output;
    private Thread shutdownHook;
    private boolean closed;
    private boolean paused;

    /** A server with every default; call {@link #start()}. */
    public TarantoolServer() {
        this(builder());
    }

    private TarantoolServer(Builder builder) {
        this.binary = builder.binary;
        this.luaDir = builder.luaDir;
        this.dataDir = builder.dataDir;
        this.ownsDataDir = builder.dataDir == null;
        this.port = builder.port;
        this.portPinned = builder.port != 0;
        this.username = builder.username;
        this.password = builder.password != null ? builder.password : Secrets.random(18);
        this.memtxMemory = builder.memtxMemory;
        this.startupTimeout = builder.startupTimeout;
        this.extraEnv = Map.copyOf(builder.extraEnv);
        this.adminConsole = builder.adminConsole;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the process and waits until it is ready; does nothing when already running. */
    public synchronized TarantoolServer start() {
        if (closed) {
            throw new IllegalStateException("TarantoolServer is closed");
        }
        if (isRunning()) {
            return this;
        }
        Path executable = Executables.find(binary).orElseThrow(() -> new DevServicesException(
                "Tarantool binary '" + binary + "' not found" + (binary.contains("/") ? "" : " on PATH")
                        + ". Install it (Debian/Ubuntu: apt-get install tarantool) or point "
                        + "TarantoolServer.builder().binary(...) at it."));
        Path lua = luaDir != null ? LuaDir.requireInit(luaDir, "TarantoolServer.builder().luaDir") : LuaDir.locate();
        prepareDataDir();
        prepareAdminSocket();
        registerShutdownHook();
        long started = System.nanoTime();
        launchUntilBound(executable, lua);
        // From now on the port belongs to this server: restart() must come back on it.
        portPinned = true;
        LOG.info("Tarantool ready on {} in {} ms (data dir {})", address(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), dataDir);
        return this;
    }

    /**
     * Freezes the process with SIGSTOP, as a long stall would (GC, a stuck disk, a VM pause): connections stay
     * open and calls get no answer until {@link #resume()}. Call resume in a finally; {@link #stop()} resumes too.
     */
    public synchronized void pause() {
        signal("STOP");
        paused = true;
    }

    /** Lets a {@link #pause() paused} process run again (SIGCONT); calls it held are then answered. */
    public synchronized void resume() {
        if (paused) {
            signal("CONT");
            paused = false;
        }
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("Tarantool on " + address() + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new DevServicesException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (java.io.IOException e) {
            throw new DevServicesException("kill -" + name + " " + process.pid() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevServicesException("interrupted while sending SIG" + name, e);
        }
    }

    /** Sends SIGTERM and waits; kills the process if it has not exited after a few seconds. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (paused) {
            resume(); // a stopped process would not act on SIGTERM
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("Tarantool on {} ignored SIGTERM for {} ms; killing it", address(), STOP_GRACE_MILLIS);
                process.destroyForcibly().waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        reap("stopped");
    }

    /** Kills the process at once (SIGKILL), as a crash would; the data dir is kept. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reap("killed");
    }

    /** {@link #stop()} then {@link #start()} on the same data directory and port. */
    public synchronized TarantoolServer restart() {
        stop();
        return start();
    }

    /** Stops the process and deletes the data directory if this server created it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook runs anyway; nothing to undo.
            }
            shutdownHook = null;
        }
        if (ownsDataDir) {
            TempDirs.deleteQuietly(dataDir);
        }
        TempDirs.deleteQuietly(adminSocketDir);
    }

    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    public String host() {
        return Net.LOOPBACK;
    }

    /** The listen port; assigned on the first {@link #start()} and kept for the server's life. */
    public synchronized int port() {
        if (port == 0) {
            throw new IllegalStateException("TarantoolServer has not been started yet");
        }
        return port;
    }

    /** {@code 127.0.0.1:port}, the form Tarantool clients take. */
    public String address() {
        return host() + ":" + port();
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** The data directory (WAL and snapshots); created on the first {@link #start()} if not given. */
    public synchronized Path dataDir() {
        if (dataDir == null) {
            throw new IllegalStateException("TarantoolServer has not been started yet");
        }
        return dataDir;
    }

    /**
     * The admin console's Unix socket; set on the first {@link #start()}.
     *
     * @throws IllegalStateException when the console is off or the server was never started
     */
    public synchronized Path adminSocket() {
        if (!adminConsole) {
            throw new IllegalStateException("The admin console is off (TarantoolServer.builder().adminConsole(false))");
        }
        if (adminSocket == null) {
            throw new IllegalStateException("TarantoolServer has not been started yet");
        }
        return adminSocket;
    }

    /**
     * Runs a Lua chunk on the admin console (as the admin user) and returns the console's YAML
     * answer, e.g. {@code adminEval("return box.info.ro")} gives {@code "---\n- false\n...\n"}.
     * The chunk may span lines; it must {@code return} what it wants to see.
     *
     * @throws DevServicesException when the chunk raises (the message is Tarantool's), or the
     *         console does not answer within {@link #DEFAULT_ADMIN_TIMEOUT}
     */
    public String adminEval(String luaChunk) {
        Objects.requireNonNull(luaChunk, "luaChunk");
        if (!isRunning()) {
            throw new IllegalStateException("Tarantool on " + host() + ":" + port + " is not running");
        }
        return AdminConsole.eval(adminSocket(), luaChunk, DEFAULT_ADMIN_TIMEOUT);
    }

    /** The last lines the process printed (secrets masked), for diagnostics. */
    public String outputTail() {
        ProcessOutput current = output;
        return current == null ? "" : current.tail();
    }

    @Override
    public String toString() {
        return "TarantoolServer[address=" + host() + ":" + port + ", user=" + username
                + ", dataDir=" + dataDir + ", running=" + isRunning() + "]";
    }

    /** The socket goes into the data dir unless that path is too long for a Unix socket. */
    private void prepareAdminSocket() {
        if (!adminConsole || adminSocket != null) {
            return;
        }
        Path candidate = dataDir.resolve(ADMIN_SOCKET_NAME).toAbsolutePath();
        if (candidate.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            try {
                adminSocketDir = Files.createTempDirectory("mts-admin-");
            } catch (IOException e) {
                throw new DevServicesException("Could not create a directory for the admin socket", e);
            }
            candidate = adminSocketDir.resolve(ADMIN_SOCKET_NAME);
        }
        adminSocket = candidate;
    }

    private void prepareDataDir() {
        try {
            if (dataDir == null) {
                dataDir = Files.createTempDirectory("minitoolstream-tarantool-");
            } else {
                Files.createDirectories(dataDir);
            }
        } catch (IOException e) {
            throw new DevServicesException("Could not create the Tarantool data directory", e);
        }
    }

    /**
     * A port picked free can be taken by someone else before Tarantool binds it; then it exits
     * with "Address already in use" and we try again (a new port unless it is pinned).
     */
    private void launchUntilBound(Path executable, Path lua) {
        for (int attempt = 1; ; attempt++) {
            if (!portPinned) {
                port = Net.freePort();
            }
            try {
                launch(executable, lua);
                awaitReady();
                return;
            } catch (DevServicesException e) {
                boolean portTaken = !isRunning() && outputTail().contains("in use");
                kill();
                if (!portTaken || attempt == MAX_BIND_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("Port {} was taken; retrying", port);
                pause(250);
            }
        }
    }

    private void launch(Path executable, Path lua) {
        ProcessBuilder builder = new ProcessBuilder(executable.toString(), lua.resolve("init.lua").toString())
                .directory(dataDir.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("MTS_LISTEN", address());
        env.put("MTS_DATA_DIR", dataDir.toString());
        env.put("MTS_DEV", "1");
        env.put("MTS_USER", username);
        env.put("MTS_PASSWORD", password);
        env.put("MTS_EXIT_WITH_PARENT", "1");
        env.put("MTS_MEMTX_MEMORY", Long.toString(memtxMemory));
        if (adminConsole) {
            env.put("MTS_ADMIN_SOCKET", adminSocket.toString());
        }
        env.putAll(extraEnv);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new DevServicesException("Could not start " + executable + ": " + e.getMessage(), e);
        }
        // stdin stays an open pipe: it reaches EOF only when this JVM dies, which an
        // exit-with-parent watcher in the Lua may rely on.
        output = ProcessOutput.pump(process.getInputStream(), "tarantool-" + port + "-output",
                READY_PREFIX, secrets(), OUTPUT_LOG);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        try {
            while (!output.isReady() || !Net.accepts(port)) {
                if (!process.isAlive()) {
                    output.awaitEnd(1_000);
                    throw failure("Tarantool exited with code " + process.exitValue() + " before it was ready");
                }
                if (System.nanoTime() > deadline) {
                    throw failure("Tarantool was not ready within " + startupTimeout.toMillis() + " ms");
                }
                output.awaitReady(100);
                if (output.isReady()) {
                    pause(20);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("Interrupted while waiting for Tarantool");
        }
    }

    /** The password plus every extra variable whose name says it is one: masked in the output. */
    private List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        secrets.add(password);
        extraEnv.forEach((name, value) -> {
            if (name.contains("PASSWORD") || name.contains("SECRET")) {
                secrets.add(value);
            }
        });
        return secrets;
    }

    private DevServicesException failure(String what) {
        return new DevServicesException(what + " (" + address() + ", data dir " + dataDir + "). Output:"
                + System.lineSeparator() + outputTail());
    }

    private void reap(String how) {
        try {
            output.awaitEnd(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("Tarantool on {} {}", address(), how);
        process = null;
    }

    private void registerShutdownHook() {
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::killOnShutdown, "tarantool-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Runs in the shutdown hook: no locks (another thread may hold one), just kill and clean. */
    private void killOnShutdown() {
        Process current = process;
        if (current != null) {
            current.destroyForcibly();
            try {
                current.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // Shutting down anyway.
            }
        }
        if (ownsDataDir) {
            TempDirs.deleteQuietly(dataDir);
        }
        TempDirs.deleteQuietly(adminSocketDir);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Options for a {@link TarantoolServer}; every one has a working default. */
    public static final class Builder {

        private String binary = "tarantool";
        private Path luaDir;
        private Path dataDir;
        private int port;
        private String username = DEFAULT_USER;
        private String password;
        private long memtxMemory = DEFAULT_MEMTX_MEMORY;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private final Map<String, String> extraEnv = new LinkedHashMap<>();
        private boolean adminConsole = true;

        private Builder() {
        }

        /** Program name looked up on PATH, or a path to the binary (default {@code tarantool}). */
        public Builder binary(String binary) {
            this.binary = Objects.requireNonNull(binary, "binary");
            return this;
        }

        /** Directory holding {@code init.lua} (default: {@link LuaDir#locate()}). */
        public Builder luaDir(Path luaDir) {
            this.luaDir = luaDir;
            return this;
        }

        /** Data directory to use and keep (default: a temp dir deleted on {@link #close()}). */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Loopback port to listen on (default: a free one, picked on first start). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        /** Application user's password (default: random per server). */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** {@code MTS_MEMTX_MEMORY} in bytes (default 256 MB). */
        public Builder memtxMemory(long bytes) {
            this.memtxMemory = bytes;
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Whether to open the admin console on a Unix socket (default true; see
         * {@link TarantoolServer#adminEval(String)}).
         */
        public Builder adminConsole(boolean enabled) {
            this.adminConsole = enabled;
            return this;
        }

        /** An extra environment variable for the process (set after, so it overrides, the defaults). */
        public Builder env(String name, String value) {
            extraEnv.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public TarantoolServer build() {
            return new TarantoolServer(this);
        }
    }
}
