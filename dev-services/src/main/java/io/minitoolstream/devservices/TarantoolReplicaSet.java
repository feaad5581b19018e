package io.minitoolstream.devservices;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Tarantool replica set of real processes running {@code lua/init.lua}, on free loopback ports with separate temp
 * data directories, for failover tests. By default two: a writable master and a read-only replica.
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
 * <p>Every instance gets {@code MTS_REPLICATION} listing all, the same application user and password, and a
 * replication user with a random password; all but the first get {@code MTS_READ_ONLY=1}. With
 * {@link Builder#sync(boolean) sync} the data spaces are synchronous ({@code MTS_SYNC=1}, quorum n/2+1): the master
 * commits a write only once a majority has it, so a write fails after {@link Builder#syncTimeout(Duration)} while
 * too few are up, and nothing acknowledged is lost on failover. Without it replication is asynchronous: the master
 * acknowledges on its own WAL write and a crash may lose its last writes.
 *
 * <p>With {@link Builder#election(boolean) election} (Tarantool 2.10+, see
 * {@link TarantoolVersion#hasElections()}) failover is automatic: every member is a candidate
 * ({@code MTS_ELECTION=candidate}, synchronous spaces), Raft elects the writable leader, and when it dies or is cut
 * off the others elect a new one. Use {@link Builder#members(int) members(3)}: two of three keep a quorum.
 *
 * <pre>{@code
 * try (TarantoolReplicaSet set = TarantoolReplicaSet.builder().members(3).election(true).build().start()) {
 *     TarantoolServer leader = set.leader();          // waits for the elected, writable one
 *     leader.kill();
 *     TarantoolServer next = set.awaitLeader(Duration.ofSeconds(10), leader);
 *     leader.start();                                 // rejoins as a follower
 * }
 * }</pre>
 *
 * <p>{@link #start()} returns when all are ready: the first serves, the others have joined it and hold its schema,
 * users and grants (with elections: and a leader is elected). {@link #master()} and {@link #replica()} keep naming
 * the first two instances by the role they started with, also after a failover. Without elections, restarting the
 * old master after a promotion would make a second writable instance: don't.
 *
 * <p>Every process ends with {@link #close()}, with the JVM (shutdown hook) and, if the JVM is killed, by itself
 * ({@code MTS_EXIT_WITH_PARENT}).
 */
public final class TarantoolReplicaSet implements AutoCloseable {

    public static final String REPLICATION_USER = "replicator";
    public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_ELECTION_TIMEOUT = Duration.ofSeconds(1);
    /** How long {@link #start()} and {@link #leader()} wait for an elected leader. */
    public static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(TarantoolReplicaSet.class);
    private static final int MAX_START_ATTEMPTS = 3;
    private static final Duration PROMOTE_TIMEOUT = Duration.ofSeconds(30);

    private final Builder options;
    private final String password;
    private final String replicationPassword;

    private List<TarantoolServer> members;
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
     * Starts all members together (a fresh master bootstraps while the others connect) and waits until all are
     * ready, and with elections until a leader is elected. A port taken meanwhile is retried with new ports.
     */
    public synchronized TarantoolReplicaSet start() {
        if (closed) {
            throw new IllegalStateException("TarantoolReplicaSet is closed");
        }
        if (members != null) {
            return this;
        }
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            List<Integer> ports = new ArrayList<>();
            while (ports.size() < options.members) {
                int port = Net.freePort();
                if (!ports.contains(port)) {
                    ports.add(port);
                }
            }
            String peers = ports.stream().map(p -> Net.LOOPBACK + ":" + p).collect(Collectors.joining(","));
            List<TarantoolServer> servers = new ArrayList<>();
            for (int i = 0; i < ports.size(); i++) {
                servers.add(server(ports.get(i), peers, i > 0));
            }
            try {
                List<CompletableFuture<TarantoolServer>> starts = servers.stream()
                        .map(server -> CompletableFuture.supplyAsync(server::start)).toList();
                RuntimeException failure = null;
                for (CompletableFuture<TarantoolServer> start : starts) {
                    try {
                        start.join();
                    } catch (RuntimeException e) {
                        failure = failure != null ? failure : e;
                    }
                }
                if (failure != null) {
                    throw failure;
                }
                members = List.copyOf(servers);
                break;
            } catch (RuntimeException e) {
                RuntimeException cause = e instanceof CompletionException && e.getCause() instanceof RuntimeException
                        ? (RuntimeException) e.getCause() : e;
                servers.forEach(TarantoolServer::close);
                boolean portTaken = String.valueOf(cause.getMessage()).contains("in use");
                if (!portTaken || attempt == MAX_START_ATTEMPTS) {
                    throw cause;
                }
                LOG.debug("A replica set port was taken; retrying with new ports");
            }
        }
        if (options.election) {
            try {
                awaitLeader(LEADER_TIMEOUT);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
        LOG.info("Tarantool replica set ready in {} ms: {}{}", Duration.ofNanos(System.nanoTime() - started).toMillis(),
                addresses(), options.election ? " (elections)" : options.sync ? " (synchronous)" : "");
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
                .env("MTS_SYNC", options.sync || options.election ? "1" : "0")
                .env("MTS_SYNC_TIMEOUT", seconds(options.syncTimeout));
        if (options.election) {
            b.env("MTS_ELECTION", "candidate").env("MTS_ELECTION_TIMEOUT", seconds(options.electionTimeout));
        }
        if (options.luaDir != null) {
            b.luaDir(options.luaDir);
        }
        options.extraEnv.forEach(b::env);
        return b.build();
    }

    private static String seconds(Duration duration) {
        return Double.toString(duration.toNanos() / 1e9);
    }

    /** The instance started as the writable master (the first member). */
    public synchronized TarantoolServer master() {
        return members().get(0);
    }

    /** The instance started as the read-only replica, the second member (writable after {@link #promoteReplica()}). */
    public synchronized TarantoolServer replica() {
        return members().get(1);
    }

    /** All members, master first. */
    public synchronized List<TarantoolServer> servers() {
        return members();
    }

    /** {@code 127.0.0.1:<master>,127.0.0.1:<replica>,...}: the component's {@code addresses} option. */
    public synchronized String addresses() {
        return members().stream().map(TarantoolServer::address).collect(Collectors.joining(","));
    }

    public boolean isSync() {
        return options.sync || options.election;
    }

    /** The application user's name (the same on every member). */
    public String username() {
        return options.username;
    }

    /** The application user's password (the same on every member). */
    public String password() {
        return password;
    }

    /** The writable member, waiting up to {@link #LEADER_TIMEOUT} for one (e.g. while an election runs). */
    public TarantoolServer leader() {
        return awaitLeader(LEADER_TIMEOUT);
    }

    /**
     * Waits until a running member other than {@code excluded} is writable and returns it. A suspended member is
     * skipped (it cannot answer).
     */
    public TarantoolServer awaitLeader(Duration timeout, TarantoolServer... excluded) {
        List<TarantoolServer> skip = Arrays.asList(excluded);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (TarantoolServer server : servers()) {
                if (!skip.contains(server) && !server.isSuspended() && isLeaderQuietly(server)) {
                    return server;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new DevServicesException("No writable member (other than " + skip.size() + " excluded) within "
                        + timeout.toMillis() + " ms: " + describe());
            }
            pause(20);
        }
    }

    /** Each member's address with its {@code box.info.ro} and election state, for diagnostics. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (TarantoolServer server : servers()) {
            text.append(text.length() == 0 ? "" : "; ").append(server.address()).append(' ');
            if (!server.isRunning()) {
                text.append("down");
            } else if (server.isSuspended()) {
                text.append("suspended");
            } else {
                try {
                    text.append(server.adminEval("return {ro = box.info.ro, election = box.info.election}")
                            .replace("\n", " ").replaceAll("\\s+", " ").strip());
                } catch (RuntimeException e) {
                    text.append("unreachable: ").append(e.getMessage());
                }
            }
        }
        return text.toString();
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

    /** Writable, and with elections the elected leader (a fresh set's first member is writable before). */
    private boolean isLeaderQuietly(TarantoolServer server) {
        try {
            return server.isRunning() && server.adminEval(options.election
                    ? "return not box.info.ro and box.info.election.state == 'leader'"
                    : "return not box.info.ro").contains("- true");
        } catch (RuntimeException stoppedMeanwhile) {
            return false;
        }
    }

    /** Stops every member and deletes their data directories. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (members == null) {
            return;
        }
        for (TarantoolServer server : members) {
            try {
                server.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing {} failed: {}", server.address(), e.toString());
            }
        }
    }

    @Override
    public synchronized String toString() {
        return "TarantoolReplicaSet[members=" + members + ", sync=" + isSync() + ", election=" + options.election
                + "]";
    }

    private List<TarantoolServer> members() {
        if (members == null) {
            throw new IllegalStateException("TarantoolReplicaSet has not been started yet");
        }
        return members;
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

        private String binary = Executables.tarantool();
        private Path luaDir;
        private String username = TarantoolServer.DEFAULT_USER;
        private String password;
        private long memtxMemory = TarantoolServer.DEFAULT_MEMTX_MEMORY;
        private Duration startupTimeout = TarantoolServer.DEFAULT_STARTUP_TIMEOUT;
        private boolean sync;
        private Duration syncTimeout = DEFAULT_SYNC_TIMEOUT;
        private int members = 2;
        private boolean election;
        private Duration electionTimeout = DEFAULT_ELECTION_TIMEOUT;
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
            copy.members = members;
            copy.election = election;
            copy.electionTimeout = electionTimeout;
            copy.extraEnv.putAll(extraEnv);
            return copy;
        }

        /**
         * Program name looked up on PATH, or a path to the binary (default: environment variable
         * {@code MTS_TARANTOOL} when set, else {@code tarantool}).
         */
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

        /** Synchronous replication of the data spaces, quorum n/2+1 ({@code MTS_SYNC=1}; default false). */
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

        /** Number of instances (default 2: master and replica). */
        public Builder members(int count) {
            if (count < 2 || count > 32) {
                throw new IllegalArgumentException("a replica set has 2 to 32 members, got " + count);
            }
            this.members = count;
            return this;
        }

        /**
         * Automatic failover: every member a candidate in Tarantool's leader election ({@code MTS_ELECTION}),
         * synchronous spaces (default false). Needs Tarantool 2.10+; init.lua refuses older versions.
         */
        public Builder election(boolean election) {
            this.election = election;
            return this;
        }

        /** {@code MTS_ELECTION_TIMEOUT}: how long an election round lasts (default 1 s). */
        public Builder electionTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("electionTimeout must be positive: " + timeout);
            }
            this.electionTimeout = timeout;
            return this;
        }

        /** An extra environment variable for every process (overrides the defaults). */
        public Builder env(String name, String value) {
            extraEnv.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public TarantoolReplicaSet build() {
            return new TarantoolReplicaSet(this);
        }
    }
}
