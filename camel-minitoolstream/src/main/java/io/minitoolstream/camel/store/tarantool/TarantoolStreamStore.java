package io.minitoolstream.camel.store.tarantool;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.minitoolstream.camel.store.ClaimedMessage;
import io.minitoolstream.camel.store.ExpiredMessage;
import io.minitoolstream.camel.store.NewMessage;
import io.minitoolstream.camel.store.NewMessagesStatus;
import io.minitoolstream.camel.store.OrderedDelivery;
import io.minitoolstream.camel.store.OriginalMessage;
import io.minitoolstream.camel.store.PositionReset;
import io.minitoolstream.camel.store.SchemaVersion;
import io.minitoolstream.camel.store.StoredMessage;
import io.minitoolstream.camel.store.StreamStore;
import io.minitoolstream.camel.store.StreamStoreException;
import io.tarantool.driver.api.TarantoolClient;
import io.tarantool.driver.api.TarantoolResult;
import io.tarantool.driver.api.tuple.TarantoolTuple;
import io.tarantool.driver.mappers.MessagePackMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StreamStore} on Tarantool through cartridge-driver: every method is one {@code call} of a global Lua
 * function (named in {@link LuaFunctions}), asynchronous, decoded with {@link BinarySafeMapper}. Only plain calls
 * are made, so the driver never loads space metadata (which would need read access to {@code _vspace}).
 * Concurrent calls are pipelined by the driver on its connection(s).
 * <p>
 * Futures complete on the driver's Netty event-loop threads: dependent stages that block (S3, Camel processing)
 * must be moved to another executor, or they stall every call. Failures are typed {@link StreamStoreException}s
 * (see {@link TarantoolErrors}) naming the Lua function and the server's reason.
 */
public class TarantoolStreamStore implements StreamStore {

    private static final Logger LOG = LoggerFactory.getLogger(TarantoolStreamStore.class);

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
        this(TarantoolClients.create(settings), InstanceRouter.forSettings(settings), true, settings.addresses().stream()
                .map(TarantoolSettings.HostPort::toString).collect(Collectors.joining(", "))
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
        this.ownsClient = ownsClient;
        this.target = target;
        this.groupCommit = new GroupCommit(this::publishOne,
                arguments -> call(LuaFunctions.PUBLISH_RECORDS, arguments),
                error -> TarantoolErrors.of(LuaFunctions.PUBLISH_RECORDS, error, target),
                GroupCommit.MAX_CALLS_IN_FLIGHT, GroupCommit.MAX_BATCH);
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
        boolean deduplicated = message.isDeduplicated();
        return invoke(LuaFunctions.PUBLISH_RECORD, args(message.subject(), message.objectName(), message.headers(),
                message.inlinePayload(), message.size() < 0 ? null : message.size(), message.contentType(),
                deduplicated ? message.messageId() : null, deduplicated ? message.duplicateWindowMillis() : null),
                LuaResults::toPublished);
    }

    @Override
    public CompletableFuture<Optional<OriginalMessage>> findMessageId(String subject, String messageId) {
        return invoke(LuaFunctions.FIND_MESSAGE_ID, args(subject, messageId), (function, first) -> first == null
                ? Optional.empty() : Optional.of(LuaResults.toOriginal(function, LuaResults.toMap(function, first))));
    }

    @Override
    public CompletableFuture<Long> positionAtTime(String subject, long startMillis) {
        return invoke(LuaFunctions.GET_POSITION_AT_TIME, args(subject, startMillis), longOrZero("position"));
    }

    @Override
    public CompletableFuture<Long> resetPosition(String durable, String subject, Long sequence, Long startMillis) {
        return invoke(LuaFunctions.RESET_POSITION, args(durable, subject, sequence, startMillis),
                longOrZero("position"));
    }

    @Override
    public CompletableFuture<PositionReset> adoptPositionReset(String durable, String subject, Long seenResets) {
        return invoke(LuaFunctions.ADOPT_POSITION_RESET, args(durable, subject, seenResets),
                LuaResults::toPositionReset);
    }

    @Override
    public CompletableFuture<List<StoredMessage>> fetchAfter(String subject, long afterSequence, int limit) {
        return invoke(LuaFunctions.FETCH_MESSAGES, args(subject, afterSequence, limit), LuaResults::toMessages);
    }

    @Override
    public CompletableFuture<List<StoredMessage>> peek(String durable, String subject, int limit) {
        return invoke(LuaFunctions.PEEK_MESSAGES, args(subject, durable, limit), LuaResults::toMessages);
    }

    @Override
    public CompletableFuture<Long> lastSequence(String subject) {
        return invoke(LuaFunctions.GET_LATEST_SEQUENCE, args(subject), longOrZero("sequence"));
    }

    @Override
    public CompletableFuture<Long> consumerPosition(String durable, String subject) {
        return invoke(LuaFunctions.GET_CONSUMER_POSITION, args(durable, subject), longOrZero("position"));
    }

    @Override
    public CompletableFuture<OptionalLong> storedPosition(String durable, String subject) {
        return invoke(LuaFunctions.GET_STORED_POSITION, args(durable, subject), (function, first) -> first == null
                ? OptionalLong.empty() : OptionalLong.of(LuaResults.toLong(function, "position", first)));
    }

    @Override
    public CompletableFuture<Boolean> ack(String durable, String subject, long sequence) {
        return invoke(LuaFunctions.ACK, args(durable, subject, sequence), booleanResult());
    }

    @Override
    public CompletableFuture<NewMessagesStatus> checkNewMessages(String subject, String durable) {
        return invoke(LuaFunctions.CHECK_NEW_MESSAGES, args(subject, durable), LuaResults::toStatus);
    }

    @Override
    public CompletableFuture<Long> newMessagesCount(String subject, long afterSequence) {
        return invoke(LuaFunctions.GET_NEW_MESSAGES_COUNT, args(subject, null, afterSequence), longOrZero("count"));
    }

    @Override
    public CompletableFuture<List<ExpiredMessage>> deleteExpired(long ttlSeconds, String subject, int limit) {
        return invoke(LuaFunctions.DELETE_EXPIRED, args(ttlSeconds, subject, limit), LuaResults::toExpired);
    }

    @Override
    public CompletableFuture<List<String>> unreferencedObjects(List<String> objectNames) {
        if (objectNames.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return invoke(LuaFunctions.FIND_UNREFERENCED_OBJECTS, args(List.copyOf(objectNames)), LuaResults::toStrings);
    }

    @Override
    public CompletableFuture<SchemaVersion> schemaVersion() {
        return invoke(LuaFunctions.GET_SCHEMA_VERSION, List.of(), (function, first) -> new SchemaVersion(
                LuaResults.toLong(function, "version", first), LuaFunctions.REQUIRED_SCHEMA_VERSION));
    }

    @Override
    public CompletableFuture<List<ClaimedMessage>> claim(String subject, String durable, String consumerId, int limit,
                                                         double ackWaitSeconds) {
        return invoke(LuaFunctions.CLAIM, args(subject, durable, consumerId, limit, ackWaitSeconds),
                LuaResults::toClaimed);
    }

    @Override
    public CompletableFuture<Boolean> ackClaimed(String subject, String durable, String consumerId, long sequence) {
        return invoke(LuaFunctions.ACK_CLAIMED, args(subject, durable, consumerId, sequence), booleanResult());
    }

    @Override
    public CompletableFuture<Map<Long, String>> ackClaimed(String subject, String durable, String consumerId,
                                                           List<Long> sequences) {
        List<Long> sent = List.copyOf(sequences);
        return invoke(LuaFunctions.ACK_CLAIMED_BATCH, args(subject, durable, consumerId, sent),
                (function, first) -> LuaResults.toRefusedAcks(function, sent, first));
    }

    @Override
    public CompletableFuture<Boolean> releaseClaimed(String subject, String durable, String consumerId,
                                                     long sequence) {
        return invoke(LuaFunctions.RELEASE_CLAIMED, args(subject, durable, consumerId, sequence), booleanResult());
    }

    @Override
    public CompletableFuture<Boolean> acquireOrdered(String subject, String durable, String consumerId,
                                                     double ttlSeconds) {
        return invoke(LuaFunctions.ACQUIRE_ORDERED, args(subject, durable, consumerId, ttlSeconds), booleanResult());
    }

    @Override
    public CompletableFuture<Boolean> releaseOrdered(String subject, String durable, String consumerId) {
        return invoke(LuaFunctions.RELEASE_ORDERED, args(subject, durable, consumerId), booleanResult());
    }

    @Override
    public CompletableFuture<OrderedDelivery> startOrderedDelivery(String subject, String durable, String consumerId,
                                                                   long sequence, double ackWaitSeconds) {
        return invoke(LuaFunctions.START_ORDERED_DELIVERY, args(subject, durable, consumerId, sequence, ackWaitSeconds),
                LuaResults::toOrderedDelivery);
    }

    @Override
    public CompletableFuture<Boolean> ackOrdered(String subject, String durable, String consumerId, long sequence) {
        return invoke(LuaFunctions.ACK_ORDERED, args(subject, durable, consumerId, sequence), booleanResult());
    }

    @Override
    public CompletableFuture<Boolean> failDelivery(String subject, String durable, String consumerId, long sequence,
                                                   String reason, double backoffSeconds) {
        return invoke(LuaFunctions.FAIL_DELIVERY, args(subject, durable, consumerId, sequence, reason, backoffSeconds),
                booleanResult());
    }

    @Override
    public CompletableFuture<Long> extendClaims(String subject, String durable, String consumerId,
                                                double ackWaitSeconds) {
        return invoke(LuaFunctions.EXTEND_CLAIMS, args(subject, durable, consumerId, ackWaitSeconds),
                longOrZero("count"));
    }

    /** Any public Lua function by name, results as the driver decodes them: for tests of the seed API. */
    CompletableFuture<List<?>> call(String function, Object... arguments) {
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

    private static BiFunction<String, Object, Long> longOrZero(String field) {
        return (function, first) -> LuaResults.toLong(function, field, first == null ? 0L : first);
    }

    private static BiFunction<String, Object, Boolean> booleanResult() {
        return (function, first) -> LuaResults.toBoolean(function, "result", first);
    }

    /** Calls {@code function}; {@code decode} gets the function's name and its first result. */
    private <T> CompletableFuture<T> invoke(String function, List<?> arguments, BiFunction<String, Object, T> decode) {
        return invoke(function, arguments, results -> decode.apply(function, LuaResults.first(function, results)));
    }

    private <T> CompletableFuture<T> invoke(String function, List<?> arguments, Function<List<?>, T> resultMapper) {
        CompletableFuture<List<?>> call;
        try {
            call = call(function, arguments);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(TarantoolErrors.of(function, e, target));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        call.whenComplete((results, error) -> {
            if (error != null) {
                result.completeExceptionally(TarantoolErrors.of(function, error, target));
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

    @Override
    public String toString() {
        return "TarantoolStreamStore[ownsClient=" + ownsClient + "]";
    }
}
