package io.minitoolstream.devservices;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Tarantool replica set of two real processes running {@code lua/init.lua}: a writable master
 * and a read-only replica, on free loopback ports with separate temp data directories, for
 * failover tests.
 *
 * <pre>{@code
 * try (TarantoolReplicaSet set = TarantoolReplicaSet.builder().sync(true).build().start()) {
 *     String addresses = set.addresses();   // "127.0.0.1:<master>,127.0.0.1:<replica>"
 *     ...
 *     set.killMaster();                     // SIGKILL, as a crash
 *     set.promoteReplica();                 // the replica now accepts writes
 * }
 * }</pre>
 *
 * <p>Both instances get {@code MTS_REPLICATION} listing both, the same application user and
 * password, and a replication user with a random password; the replica gets
 * {@code MTS_READ_ONLY=1}. With {@link Builder#sync(boolean) sync} the data spaces are
 * synchronous ({@code MTS_SYNC=1}, quorum 2 of 2): the master commits a write only once the
 * replica has it, so a write fails after {@link Builder#syncTimeout(Duration)} while the replica is
 * down, and nothing acknowledged is lost on failover. Without it replication is asynchronous: the
 * master acknowledges on its own WAL write and a crash may lose its last writes.
 *
 * <p>{@link #start()} returns when both are ready: the master serves, and the replica has joined
 * it and holds its schema, users and grants. {@link #master()} and {@link #replica()} keep naming
 * the instances by the role they started with, also after {@link #promoteReplica()}. Restarting
 * the old master after a promotion would make a second writable instance: don't.
 */
public final class TarantoolReplicaSet implements AutoCloseable {

    public static final String REPLICATION_USER = "replicator";
    public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(TarantoolReplicaSet.class);
    private static final int MAX_START_ATTEMPTS = 3;
    private static final Duration PROMOTE_TIMEOUT = Duration.ofSeconds(30);

    private final Builder options;
    private final String password;
    private final String replicationPassword;

    private TarantoolServer master;
    private TarantoolServer replica;
    private boolean closed;

    private TarantoolReplicaSet(Builder builder) {
        this.options = builder.copy();
        this.password = builder.password != null ? builder.password : Secrets.random(18);
        this.replicationPassword = Secrets.random(18);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts master and replica together (a fresh master bootstraps while its replica
     * connects) and waits until both are ready. A port taken meanwhile is retried with new ports.
     */
    public synchronized TarantoolReplicaSet start() {
        if (closed) {
            throw new IllegalStateException("TarantoolReplicaSet is closed");
        }
        if (master != null) {
            return this;
        }
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            int masterPort = Net.freePort();
            int replicaPort = Net.freePort();
            while (replicaPort == masterPort) {
                replicaPort = Net.freePort();
            }
            String peers = Net.LOOPBACK + ":" + masterPort + "," + Net.LOOPBACK + ":" + replicaPort;
            TarantoolServer m = server(masterPort, peers, false);
            TarantoolServer r = server(replicaPort, peers, true);
            try {
                CompletableFuture<TarantoolServer> masterStart = CompletableFuture.supplyAsync(m::start);
                r.start();
                masterStart.join();
                master = m;
                replica = r;
                break;
            } catch (RuntimeException e) {
                RuntimeException cause = e instanceof CompletionException && e.getCause() instanceof RuntimeException
                        ? (RuntimeException) e.getCause() : e;
                m.close();
                r.close();
                boolean portTaken = String.valueOf(cause.getMessage()).contains("in use");
                if (!portTaken || attempt == MAX_START_ATTEMPTS) {
                    throw cause;
                }
                LOG.debug("A replica set port was taken; retrying with new ports");
            }
        }
        LOG.info("Tarantool replica set ready in {} ms: master {}, replica {}{}",
                Duration.ofNanos(System.nanoTime() - started).toMillis(), master.address(), replica.address(),
                options.sync ? " (synchronous)" : "");
        return this;
    }

    private TarantoolServer server(int port, String peers, boolean readOnly) {
        TarantoolServer.Builder b = TarantoolServer.builder()
                .binary(options.binary)
                .port(port)
                .username(options.username)
                .password(password)
                .memtxMemory(options.memtxMemory)
                .startupTimeout(options.startupTimeout)
                .env("MTS_REPLICATION", peers)
                .env("MTS_READ_ONLY", readOnly ? "1" : "0")
                .env("MTS_REPLICATION_USER", REPLICATION_USER)
                .env("MTS_REPLICATION_PASSWORD", replicationPassword)
                .env("MTS_SYNC", options.sync ? "1" : "0")
                .env("MTS_SYNC_TIMEOUT", seconds(options.syncTimeout));
        if (options.luaDir != null) {
            b.luaDir(options.luaDir);
        }
        options.extraEnv.forEach(b::env);
        return b.build();
    }

    private static String seconds(Duration duration) {
        return Double.toString(duration.toNanos() / 1e9);
    }

    /** The instance started as the writable master. */
    public synchronized TarantoolServer master() {
        return requireStarted(master);
    }

    /** The instance started as the read-only replica (writable after {@link #promoteReplica()}). */
    public synchronized TarantoolServer replica() {
        return requireStarted(replica);
    }

    /** Both instances, master first. */
    public synchronized List<TarantoolServer> servers() {
        return List.of(master(), replica());
    }

    /** {@code 127.0.0.1:<master>,127.0.0.1:<replica>}: the component's {@code addresses} option. */
    public synchronized String addresses() {
        return master().address() + "," + replica().address();
    }

    public boolean isSync() {
        return options.sync;
    }

    /** The application user's name (the same on both instances). */
    public String username() {
        return options.username;
    }

    /** The application user's password (the same on both instances). */
    public String password() {
        return password;
    }

    /** Stops the master gracefully (SIGTERM); its data dir is kept. */
    public synchronized void stopMaster() {
        master().stop();
    }

    /** Kills the master at once (SIGKILL), as a crash would; its data dir is kept. */
    public synchronized void killMaster() {
        master().kill();
    }

    /**
     * Failover: runs {@code require('minitoolstream').promote()} on the replica's admin console
     * (read_only off; with synchronous spaces the quorum is lowered to the survivor and the old
     * master's pending synchronous writes are confirmed) and waits until it reports writable.
     * Stop or kill the master first. Returns the replica.
     */
    public synchronized TarantoolServer promoteReplica() {
        TarantoolServer promoted = replica();
        String answer = promoted.adminEval("return require('minitoolstream').promote()");
        LOG.info("Promoted the replica on {}: {}", promoted.address(), answer.replace('\n', ' ').strip());
        long deadline = System.nanoTime() + PROMOTE_TIMEOUT.toNanos();
        while (!isWritable(promoted)) {
            if (System.nanoTime() > deadline) {
                throw new DevServicesException("The replica on " + promoted.address() + " is still read-only "
                        + PROMOTE_TIMEOUT.toSeconds() + " s after promote()");
            }
            pause(20);
        }
        return promoted;
    }

    /** Whether {@code server} is running and writable ({@code box.info.ro} false). */
    public static boolean isWritable(TarantoolServer server) {
        return server.isRunning() && server.adminEval("return box.info.ro").contains("- false");
    }

    /** Stops both and deletes their data directories. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (replica != null) {
                replica.close();
            }
        } finally {
            if (master != null) {
                master.close();
            }
        }
    }

    @Override
    public synchronized String toString() {
        return "TarantoolReplicaSet[master=" + master + ", replica=" + replica + ", sync=" + options.sync + "]";
    }

    private TarantoolServer requireStarted(TarantoolServer server) {
        if (server == null) {
            throw new IllegalStateException("TarantoolReplicaSet has not been started yet");
        }
        return server;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevServicesException("Interrupted");
        }
    }

    /** Options for a {@link TarantoolReplicaSet}; every one has a working default. */
    public static final class Builder {

        private String binary = "tarantool";
        private Path luaDir;
        private String username = TarantoolServer.DEFAULT_USER;
        private String password;
        private long memtxMemory = TarantoolServer.DEFAULT_MEMTX_MEMORY;
        private Duration startupTimeout = TarantoolServer.DEFAULT_STARTUP_TIMEOUT;
        private boolean sync;
        private Duration syncTimeout = DEFAULT_SYNC_TIMEOUT;
        private final Map<String, String> extraEnv = new LinkedHashMap<>();

        private Builder() {
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.binary = binary;
            copy.luaDir = luaDir;
            copy.username = username;
            copy.password = password;
            copy.memtxMemory = memtxMemory;
            copy.startupTimeout = startupTimeout;
            copy.sync = sync;
            copy.syncTimeout = syncTimeout;
            copy.extraEnv.putAll(extraEnv);
            return copy;
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

        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        /** Application user's password (default: random per set). */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** {@code MTS_MEMTX_MEMORY} of each instance in bytes (default 256 MB). */
        public Builder memtxMemory(long bytes) {
            this.memtxMemory = bytes;
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Synchronous replication of the data spaces, quorum 2 ({@code MTS_SYNC=1}; default false). */
        public Builder sync(boolean sync) {
            this.sync = sync;
            return this;
        }

        /** How long a synchronous write waits for its quorum ({@code MTS_SYNC_TIMEOUT}; default 5 s). */
        public Builder syncTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("syncTimeout must be positive: " + timeout);
            }
            this.syncTimeout = timeout;
            return this;
        }

        /** An extra environment variable for both processes (overrides the defaults). */
        public Builder env(String name, String value) {
            extraEnv.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public TarantoolReplicaSet build() {
            return new TarantoolReplicaSet(this);
        }
    }
}
