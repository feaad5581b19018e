package io.minitoolstream.camel.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.tarantool.driver.api.TarantoolClient;
import io.tarantool.driver.api.TarantoolClientFactory;
import io.tarantool.driver.api.retry.TarantoolRequestRetryPolicies;
import io.tarantool.driver.auth.SimpleTarantoolCredentials;
import io.tarantool.driver.api.TarantoolResult;
import io.tarantool.driver.api.TarantoolServerAddress;
import io.tarantool.driver.api.connection.TarantoolConnectionSelectionStrategyType;
import io.tarantool.driver.api.tuple.TarantoolTuple;
import io.tarantool.driver.mappers.MessagePackMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StreamStore} on Tarantool through cartridge-driver: every method is one {@code call} of a global Lua
 * function, asynchronous (the driver's future, mapped), decoded with {@link BinarySafeMapper}. Only plain calls
 * are made, so the driver never loads space metadata (which would need read access to {@code _vspace}).
 * Concurrent calls are pipelined by the driver on its connection(s).
 * <p>
 * Futures complete on the driver's Netty event-loop threads: dependent stages that block (S3, Camel processing)
 * must be moved to another executor ({@code thenApplyAsync(..., executor)}), or they stall every call.
 * Failures are {@link StreamStoreException}s naming the Lua function and the server's reason.
 */
public class TarantoolStreamStore implements StreamStore {

    private static final Logger LOG = LoggerFactory.getLogger(TarantoolStreamStore.class);

    private static final String INNER_ERROR = "InnerErrorMessage:";

    /**
     * Rounds over all instances one call may make in a replica set. Tries follow each other at once: a read-only
     * refusal costs one round trip, and while no instance is writable the call fails fast (the caller's retry,
     * e.g. Camel's redelivery, waits instead of a Netty thread).
     */
    private static final int FAILOVER_ROUNDS = 3;

    static final String PUBLISH_RECORD = "publish_record";
    static final String FETCH_MESSAGES = "fetch_messages";
    static final String PEEK_MESSAGES = "peek_messages";
    static final String GET_LATEST_SEQUENCE = "get_latest_sequence_for_subject";
    static final String GET_CONSUMER_POSITION = "get_consumer_position";
    static final String ACK = "grpc_ack";
    static final String CHECK_NEW_MESSAGES = "check_new_messages";
    static final String DELETE_EXPIRED = "delete_expired_messages";
    static final String GET_SCHEMA_VERSION = "get_schema_version";
    static final String CLAIM = "claim_messages";
    static final String ACK_CLAIMED = "ack_claimed";
    static final String ACK_CLAIMED_BATCH = "ack_claimed_batch";
    static final String RELEASE_CLAIMED = "release_claimed";
    static final String ACQUIRE_ORDERED = "acquire_ordered";
    static final String RELEASE_ORDERED = "release_ordered";

    private final TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>> client;
    /** With several addresses: one client per instance and the routing between them; null otherwise. */
    private final InstanceRouter router;
    private final boolean ownsClient;
    /** Where and as whom connection failures happened, e.g. "127.0.0.1:3301 as user 'app'"; null for a user-supplied client. */
    private final String target;
    private final MessagePackMapper mapper = BinarySafeMapper.create();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Concurrent publishes share calls: see {@link GroupCommit}. */
    private final GroupCommit groupCommit;

    /** Creates a client from the settings; it is closed by {@link #close()}. */
    public TarantoolStreamStore(TarantoolSettings settings) {
        this(createClient(settings), InstanceRouter.forSettings(settings), true,
                String.join(", ", settings.addresses())
                + (settings.username() == null ? " as guest" : " as user '" + settings.username() + "'"));
    }

    /** Uses a client the caller owns; {@link #close()} leaves it open. */
    public TarantoolStreamStore(TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>> client) {
        this(client, null, false, null);
    }

    private TarantoolStreamStore(TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>> client,
            InstanceRouter router, boolean ownsClient, String target) {
        this.client = Objects.requireNonNull(client, "client");
        this.router = router;
        this.groupCommit = new GroupCommit(this::publishOne,
                arguments -> call(GroupCommit.PUBLISH_RECORDS, arguments),
                error -> failure(GroupCommit.PUBLISH_RECORDS, error),
                GroupCommit.MAX_CALLS_IN_FLIGHT, GroupCommit.MAX_BATCH);
        this.ownsClient = ownsClient;
        this.target = target;
    }

    /**
     * Builds a cartridge-driver client for the settings: all addresses, spread round-robin (parallel round-robin
     * over one connection per address), credentials, connect and request timeouts. Connections open on the first
     * call. The caller closes the client. (A store made from settings with several addresses routes its own calls
     * instead, following the leader of a replica set: see {@link InstanceRouter}.)
     */
    public static TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>> createClient(
            TarantoolSettings settings) {
        Objects.requireNonNull(settings, "settings");
        // The driver keys connections by resolved address and fails every call when two entries resolve to the
        // same one (localhost:3301 and 127.0.0.1:3301): keep the first of each.
        Set<TarantoolServerAddress> addresses = new LinkedHashSet<>();
        for (String address : settings.addresses()) {
            try {
                addresses.add(new TarantoolServerAddress(address));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid Tarantool address '" + address
                        + "', expected host:port", e);
            }
        }
        TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>> client = TarantoolClientFactory.createClient()
                .withAddresses(new ArrayList<>(addresses))
                // No username means Tarantool's guest, which the instance script gives no rights at all.
                .withCredentials(settings.username() == null
                        ? new SimpleTarantoolCredentials()
                        : new SimpleTarantoolCredentials(settings.username(),
                                settings.password() == null ? "" : settings.password()))
                .withConnectTimeout(settings.connectTimeoutMs())
                .withReadTimeout(settings.requestTimeoutMs())
                .withRequestTimeout(settings.requestTimeoutMs())
                .withConnectionSelectionStrategy(TarantoolConnectionSelectionStrategyType.PARALLEL_ROUND_ROBIN)
                .withMessagePackMapper(BinarySafeMapper.create())
                .build();
        if (addresses.size() < 2) {
            return client;
        }
        // A replica set: calls go round-robin, so a write may reach a read-only replica, or an instance that is
        // gone after a failover. Retry those on the next instance until the writable one answers. A read-only
        // refusal changed nothing; a retried network error may store a publish twice (at least once).
        int attempts = addresses.size() * FAILOVER_ROUNDS;
        return TarantoolClientFactory.configureClient(client)
                .withRetryingByNumberOfAttempts(attempts, TarantoolStreamStore::isFailoverError,
                        policy -> policy.withDelay(0).withRequestTimeout(settings.requestTimeoutMs()))
                .build();
    }

    /**
     * Server answers that mean "not here, not now" in a replica set: nothing was committed, so asking another
     * instance (or the same one after an election) cannot store a publish twice. A follower's or an old leader's
     * read-only refusal (2.11 adds "state is election follower ..."); an instance that does not own the
     * synchronous queue (2.10+: unclaimed, or another instance's); one still loading after a restart; a synchronous
     * write rolled back because the leader changed or its quorum did not answer in time.
     */
    private static final List<String> FAILOVER_REASONS = List.of("read-only", "read only",
            "synchronous transaction queue", "bootstrap hasn't finished",
            "A rollback for a synchronous transaction", "Quorum collection for a synchronous transaction");

    /** A refusal by an instance that cannot write now, or a connection problem: worth asking another instance. */
    static boolean isFailoverError(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String text = t.getMessage();
            if (text != null && FAILOVER_REASONS.stream().anyMatch(text::contains)) {
                return true;
            }
        }
        return TarantoolRequestRetryPolicies.retryNetworkErrors().test(error);
    }

    /** The client calls go through (owned or user-supplied). */
    public TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>> client() {
        return client;
    }

    /**
     * {@inheritDoc} A negative {@link NewMessage#size()} is sent as nil (unknown); for an inline payload the server
     * then records the payload's length.
     */
    @Override
    public CompletableFuture<Long> publish(NewMessage message) {
        Objects.requireNonNull(message, "message");
        return groupCommit.publish(message);
    }

    /** One record, one {@code publish_record} call: what {@link #publish} does when no other call is waiting. */
    CompletableFuture<Long> publishOne(NewMessage message) {
        return invoke(PUBLISH_RECORD,
                args(message.subject(), message.objectName(), message.headers(), message.inlinePayload(),
                        message.size() < 0 ? null : message.size(), message.contentType()),
                results -> LuaResults.toLong(PUBLISH_RECORD, "sequence", LuaResults.first(PUBLISH_RECORD, results)));
    }

    @Override
    public CompletableFuture<List<StoredMessage>> fetchAfter(String subject, long afterSequence, int limit) {
        return invoke(FETCH_MESSAGES, args(subject, afterSequence, limit),
                results -> LuaResults.toMessages(FETCH_MESSAGES, LuaResults.first(FETCH_MESSAGES, results)));
    }

    @Override
    public CompletableFuture<List<StoredMessage>> peek(String durable, String subject, int limit) {
        return invoke(PEEK_MESSAGES, args(subject, durable, limit),
                results -> LuaResults.toMessages(PEEK_MESSAGES, LuaResults.first(PEEK_MESSAGES, results)));
    }

    @Override
    public CompletableFuture<Long> lastSequence(String subject) {
        return invoke(GET_LATEST_SEQUENCE, args(subject),
                results -> LuaResults.toLong(GET_LATEST_SEQUENCE, "sequence",
                        orZero(LuaResults.first(GET_LATEST_SEQUENCE, results))));
    }

    @Override
    public CompletableFuture<Long> consumerPosition(String durable, String subject) {
        return invoke(GET_CONSUMER_POSITION, args(durable, subject),
                results -> LuaResults.toLong(GET_CONSUMER_POSITION, "position",
                        orZero(LuaResults.first(GET_CONSUMER_POSITION, results))));
    }

    @Override
    public CompletableFuture<Boolean> ack(String durable, String subject, long sequence) {
        return invoke(ACK, args(durable, subject, sequence),
                results -> LuaResults.toBoolean(ACK, "result", LuaResults.first(ACK, results)));
    }

    @Override
    public CompletableFuture<NewMessagesStatus> checkNewMessages(String subject, String durable) {
        return invoke(CHECK_NEW_MESSAGES, args(subject, durable),
                results -> LuaResults.toStatus(CHECK_NEW_MESSAGES, LuaResults.first(CHECK_NEW_MESSAGES, results)));
    }

    @Override
    public CompletableFuture<List<ExpiredMessage>> deleteExpired(long ttlSeconds, String subject, int limit) {
        return invoke(DELETE_EXPIRED, args(ttlSeconds, subject, limit),
                results -> LuaResults.toExpired(DELETE_EXPIRED, LuaResults.first(DELETE_EXPIRED, results)));
    }

    @Override
    public CompletableFuture<List<ClaimedMessage>> claim(String subject, String durable, String consumerId, int limit,
                                                         double ackWaitSeconds) {
        return invoke(CLAIM, args(subject, durable, consumerId, limit, ackWaitSeconds),
                results -> LuaResults.toClaimed(CLAIM, LuaResults.first(CLAIM, results)));
    }

    @Override
    public CompletableFuture<Boolean> ackClaimed(String subject, String durable, String consumerId, long sequence) {
        return invoke(ACK_CLAIMED, args(subject, durable, consumerId, sequence),
                results -> LuaResults.toBoolean(ACK_CLAIMED, "result", LuaResults.first(ACK_CLAIMED, results)));
    }

    @Override
    public CompletableFuture<Map<Long, String>> ackClaimed(String subject, String durable, String consumerId,
                                                           List<Long> sequences) {
        List<Long> sent = List.copyOf(sequences);
        return invoke(ACK_CLAIMED_BATCH, args(subject, durable, consumerId, sent),
                results -> LuaResults.toRefusedAcks(ACK_CLAIMED_BATCH, sent, LuaResults.first(ACK_CLAIMED_BATCH,
                        results)));
    }

    @Override
    public CompletableFuture<Boolean> releaseClaimed(String subject, String durable, String consumerId,
                                                     long sequence) {
        return invoke(RELEASE_CLAIMED, args(subject, durable, consumerId, sequence),
                results -> LuaResults.toBoolean(RELEASE_CLAIMED, "result",
                        LuaResults.first(RELEASE_CLAIMED, results)));
    }

    @Override
    public CompletableFuture<Boolean> acquireOrdered(String subject, String durable, String consumerId,
                                                     double ttlSeconds) {
        return invoke(ACQUIRE_ORDERED, args(subject, durable, consumerId, ttlSeconds),
                results -> LuaResults.toBoolean(ACQUIRE_ORDERED, "result",
                        LuaResults.first(ACQUIRE_ORDERED, results)));
    }

    @Override
    public CompletableFuture<Boolean> releaseOrdered(String subject, String durable, String consumerId) {
        return invoke(RELEASE_ORDERED, args(subject, durable, consumerId),
                results -> LuaResults.toBoolean(RELEASE_ORDERED, "result",
                        LuaResults.first(RELEASE_ORDERED, results)));
    }

    /** The schema version the Lua module has migrated the database to. */
    public CompletableFuture<Long> schemaVersion() {
        return invoke(GET_SCHEMA_VERSION, List.of(),
                results -> LuaResults.toLong(GET_SCHEMA_VERSION, "version",
                        LuaResults.first(GET_SCHEMA_VERSION, results)));
    }

    @Override
    public CompletableFuture<List<?>> call(String function, Object... arguments) {
        Objects.requireNonNull(function, "function");
        return invoke(function, arguments == null ? List.of() : args(arguments), Function.identity());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || !ownsClient) {
            return;
        }
        try {
            client.close();
        } catch (Exception e) {
            LOG.warn("Closing the Tarantool client failed: {}", e.toString());
        }
        if (router != null) {
            router.close();
        }
    }

    /** One call: through the instance router when there are several addresses, else on the client. */
    private CompletableFuture<List<?>> call(String function, List<?> arguments) {
        return router != null ? router.call(function, arguments, mapper) : client.call(function, arguments, mapper);
    }

    /** Nulls allowed: they travel as MessagePack nil. */
    private static List<Object> args(Object... values) {
        return Arrays.asList(values);
    }

    private static Object orZero(Object value) {
        return value == null ? 0L : value;
    }

    private <T> CompletableFuture<T> invoke(String function, List<?> arguments, Function<List<?>, T> resultMapper) {
        CompletableFuture<List<?>> call;
        try {
            call = call(function, arguments);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure(function, e));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        call.whenComplete((results, error) -> {
            if (error != null) {
                result.completeExceptionally(failure(function, error));
                return;
            }
            try {
                result.complete(resultMapper.apply(results));
            } catch (StreamStoreException e) {
                result.completeExceptionally(e);
            } catch (RuntimeException e) {
                result.completeExceptionally(new StreamStoreException(
                        "unexpected result from " + function + ": " + e.getMessage(), e));
            }
        });
        return result;
    }

    /** Wraps a driver/server failure; the message names the function and the server's reason. */
    StreamStoreException failure(String function, Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof StreamStoreException sse) {
            return sse;
        }
        String reason = reason(cause);
        if (target != null && !isServerError(cause)) {
            // Connection refused, bad credentials, timeouts. The driver logs the server's reason for a refused
            // login but does not pass it on, so say where we tried, as whom, and what to check.
            reason = reason + " (Tarantool at " + target + (isConnectionError(cause)
                    ? "; check that it is running and that the username and password are right)" : ")");
        }
        return new StreamStoreException("Tarantool call " + function + " failed: " + reason, cause);
    }

    private static boolean isConnectionError(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof io.tarantool.driver.exceptions.TarantoolConnectionException
                    || t instanceof io.tarantool.driver.exceptions.NoAvailableConnectionsException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isServerError(Throwable cause) {
        String text = cause.getMessage();
        return text != null && text.startsWith(INNER_ERROR);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * The server's reason. Box errors reach us as {@code "InnerErrorMessage:\ncode: N\n...message: text\ntrace:
     * ..."}: keep the message part. Client-side errors (connection refused, timeout) keep their text plus their
     * cause's.
     */
    static String reason(Throwable cause) {
        String text = cause.getMessage();
        if (text == null || text.isBlank()) {
            text = cause.getClass().getSimpleName();
        }
        int start = text.indexOf("\nmessage: ");
        if (text.startsWith(INNER_ERROR) && start >= 0) {
            String message = text.substring(start + "\nmessage: ".length());
            int trace = message.indexOf("\ntrace: ");
            if (trace >= 0) {
                message = message.substring(0, trace);
            }
            String code = codeOf(text);
            // Lua-raised errors carry code 0; only a real box error code says something
            return message.strip() + (code == null || "0".equals(code) ? "" : " (code " + code + ")");
        }
        Throwable inner = cause.getCause();
        if (inner != null && inner != cause && inner.getMessage() != null && !text.contains(inner.getMessage())) {
            text = text + ": " + inner.getMessage();
        }
        return text.strip();
    }

    private static String codeOf(String text) {
        int start = text.indexOf("\ncode: ");
        if (start < 0) {
            return null;
        }
        int end = text.indexOf('\n', start + 1);
        return text.substring(start + "\ncode: ".length(), end < 0 ? text.length() : end).strip();
    }

    @Override
    public String toString() {
        return "TarantoolStreamStore[ownsClient=" + ownsClient + "]";
    }

    /**
     * Calls over one connection per address. While every instance accepts writes (independent servers) calls go
     * round-robin. Once one refuses a write as read-only, the addresses are a replica set: every call then goes to
     * the instance that last answered, so writes reach the leader at once and reads see what it acknowledged. When
     * that instance refuses (a follower now, a lost leader), fails or does not answer within the request timeout
     * (crashed, frozen, cut off), the others are tried in turn; after a round in which none could write, the next
     * round starts after {@link #ROUND_PAUSE_MILLIS}, until the request timeout has passed: a call made during an
     * election waits for the new leader instead of failing. What succeeds becomes the instance to call.
     */
    static final class InstanceRouter {

        static final long ROUND_PAUSE_MILLIS = 100;

        private final List<TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>>> clients;
        private final long budgetNanos;
        private final AtomicInteger roundRobin = new AtomicInteger();
        private volatile boolean replicaSet;
        private volatile int current;

        private InstanceRouter(List<TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>>> clients,
                long budgetMillis) {
            this.clients = clients;
            this.budgetNanos = TimeUnit.MILLISECONDS.toNanos(budgetMillis);
        }

        /** One single-address client per distinct address, or null for a single address. */
        static InstanceRouter forSettings(TarantoolSettings settings) {
            // Keyed like createClient: addresses resolving to the same server count once.
            Map<TarantoolServerAddress, String> distinct = new LinkedHashMap<>();
            for (String address : settings.addresses()) {
                try {
                    distinct.putIfAbsent(new TarantoolServerAddress(address), address);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("invalid Tarantool address '" + address
                            + "', expected host:port", e);
                }
            }
            if (distinct.size() < 2) {
                return null;
            }
            List<TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>>> clients = new ArrayList<>();
            for (String address : distinct.values()) {
                clients.add(createClient(new TarantoolSettings(List.of(address), settings.username(),
                        settings.password(), settings.connectTimeoutMs(), settings.requestTimeoutMs())));
            }
            return new InstanceRouter(List.copyOf(clients), settings.requestTimeoutMs());
        }

        CompletableFuture<List<?>> call(String function, List<?> arguments, MessagePackMapper mapper) {
            int first = replicaSet ? current : Math.floorMod(roundRobin.getAndIncrement(), clients.size());
            CompletableFuture<List<?>> result = new CompletableFuture<>();
            attempt(function, arguments, mapper, first, 1, System.nanoTime() + budgetNanos, result);
            return result;
        }

        private void attempt(String function, List<?> arguments, MessagePackMapper mapper, int index, int attempt,
                long deadline, CompletableFuture<List<?>> result) {
            CompletableFuture<List<?>> call;
            try {
                call = clients.get(index).call(function, arguments, mapper);
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            call.whenComplete((answer, error) -> {
                if (error == null) {
                    current = index;
                    result.complete(answer);
                    return;
                }
                if (!isFailoverError(error) && !isUnreachable(error)) {
                    result.completeExceptionally(error);
                    return;
                }
                if (isReadOnlyRefusal(error)) {
                    replicaSet = true;
                }
                boolean roundDone = attempt % clients.size() == 0;
                if (roundDone && System.nanoTime() >= deadline) {
                    result.completeExceptionally(error);
                    return;
                }
                int next = (index + 1) % clients.size();
                if (roundDone) {
                    CompletableFuture.delayedExecutor(ROUND_PAUSE_MILLIS, TimeUnit.MILLISECONDS)
                            .execute(() -> attempt(function, arguments, mapper, next, attempt + 1, deadline, result));
                } else {
                    attempt(function, arguments, mapper, next, attempt + 1, deadline, result);
                }
            });
        }

        /** Not connected (down, refusing connections) or no answer in time (frozen, cut off). */
        private static boolean isUnreachable(Throwable error) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                if (t instanceof java.util.concurrent.TimeoutException) {
                    return true;
                }
            }
            return isConnectionError(error);
        }

        private static boolean isReadOnlyRefusal(Throwable error) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                String text = t.getMessage();
                if (text != null && (text.contains("read-only") || text.contains("synchronous transaction queue"))) {
                    return true;
                }
            }
            return false;
        }

        void close() {
            for (TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>> c : clients) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("Closing a Tarantool client failed: {}", e.toString());
                }
            }
        }
    }
}
