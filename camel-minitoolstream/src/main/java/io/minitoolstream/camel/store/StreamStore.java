package io.minitoolstream.camel.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Message metadata and consumer positions (Tarantool). Every method is one Lua call: one round trip,
 * atomic on the server. Implementations never block the caller on I/O; results complete on the
 * driver's threads. Failures are {@link StreamStoreException}s whose subclass says what kind they are
 * ({@link StoreInvalidArgumentException}, {@link StoreConflictException}, {@link StoreUnavailableException},
 * {@link StoreReadOnlyException}).
 */
public interface StreamStore extends AutoCloseable {

    /**
     * Inserts the record; the server assigns and returns the sequence at insert time. A message whose id is live
     * (see {@link NewMessage}) fails with {@link StoreDuplicateException}; a refused record with another
     * {@link StoreConflictException} or {@link StoreInvalidArgumentException}. Any other failure (a timeout, a lost
     * connection) leaves it open whether the record was stored.
     */
    CompletableFuture<Long> publish(NewMessage message);

    /** The record a publish with this message id stored within its window, if any (checked before an upload). */
    CompletableFuture<Optional<OriginalMessage>> findMessageId(String subject, String messageId);

    /**
     * The position just before the subject's first message published at or after {@code startMillis}, so that
     * message comes next; the newest sequence when there is none.
     */
    CompletableFuture<Long> positionAtTime(String subject, long startMillis);

    /**
     * Moves the durable, backwards or forwards, so that {@code sequence} (or, when it is null, the first message
     * at or after {@code startMillis}) is delivered next; completes with the new position. Unlike {@link #ack} not
     * monotonic; counted, so the durable's active consumer notices ({@link #adoptPositionReset}).
     */
    CompletableFuture<Long> resetPosition(String durable, String subject, Long sequence, Long startMillis);

    /**
     * The active consumer's check for resets: with {@code seenResets} null it only learns the count; when the count
     * differs from it, the stored position is set to the latest reset's target once more and returned.
     */
    CompletableFuture<PositionReset> adoptPositionReset(String durable, String subject, Long seenResets);

    /** Up to {@code limit} messages of the subject with a sequence greater than {@code afterSequence}, ascending. */
    CompletableFuture<List<StoredMessage>> fetchAfter(String subject, long afterSequence, int limit);

    /** Up to {@code limit} messages after the durable's position; the position does not move. */
    CompletableFuture<List<StoredMessage>> peek(String durable, String subject, int limit);

    /** The subject's newest sequence, 0 when the subject has no messages. */
    CompletableFuture<Long> lastSequence(String subject);

    /** The durable's last acknowledged sequence, 0 when it has none. */
    CompletableFuture<Long> consumerPosition(String durable, String subject);

    /**
     * The durable's stored position, empty when it has none. Unlike {@link #consumerPosition} it tells a stored 0
     * (a reset to before the first message) from a durable that never stored one.
     */
    CompletableFuture<OptionalLong> storedPosition(String durable, String subject);

    /**
     * Cumulative, monotonic acknowledgement. Completes with {@code true} when the position moved, {@code false}
     * when it was already at or past {@code sequence}; fails when the sequence is not one of the subject's.
     */
    CompletableFuture<Boolean> ack(String durable, String subject, long sequence);

    CompletableFuture<NewMessagesStatus> checkNewMessages(String subject, String durable);

    /** How many of the subject's messages come after {@code afterSequence} (a consumer's lag). */
    CompletableFuture<Long> newMessagesCount(String subject, long afterSequence);

    /**
     * Deletes up to {@code limit} messages older than {@code ttlSeconds} (of one subject, or of all when
     * {@code subject} is null) and returns what it deleted, so the caller can delete their payload objects.
     */
    CompletableFuture<List<ExpiredMessage>> deleteExpired(long ttlSeconds, String subject, int limit);

    /** Of {@code objectNames} (at most 1000), those no message references, in the given order (the orphan sweep's question). */
    CompletableFuture<List<String>> unreferencedObjects(List<String> objectNames);

    /** The schema version on the server and the one this component needs (readiness). */
    CompletableFuture<SchemaVersion> schemaVersion();

    /**
     * Competing consumers: leases up to {@code limit} of the subject's oldest messages that are neither acknowledged
     * nor leased (an expired lease counts as free) to {@code consumerId} for {@code ackWaitSeconds}.
     */
    CompletableFuture<List<ClaimedMessage>> claim(String subject, String durable, String consumerId, int limit,
                                                  double ackWaitSeconds);

    /** Acknowledges one claimed message (out of order is fine); the durable's floor advances over what is contiguous. */
    CompletableFuture<Boolean> ackClaimed(String subject, String durable, String consumerId, long sequence);

    /**
     * Acknowledges several claimed messages in one call, each as {@link #ackClaimed} would. Completes with the
     * sequences that could not be acknowledged, with the reason: not (any more) messages of the subject, or claimed
     * by another consumer since this one's lease lapsed (fencing); empty when all counted.
     */
    CompletableFuture<Map<Long, String>> ackClaimed(String subject, String durable, String consumerId,
                                                    List<Long> sequences);

    /** Gives a claimed message back at once, so it can be claimed again (after a failed delivery). */
    CompletableFuture<Boolean> releaseClaimed(String subject, String durable, String consumerId, long sequence);

    /**
     * Ordered mode, before delivering a batch that starts with {@code sequence}: renews the ownership (like
     * {@link #acquireOrdered}) and counts the delivery of that message in the durable's books.
     */
    CompletableFuture<OrderedDelivery> startOrderedDelivery(String subject, String durable, String consumerId,
                                                            long sequence, double ackWaitSeconds);

    /**
     * Ordered mode: the owner's cumulative, monotonic acknowledgement; true when the position moved. Fenced: fails
     * with {@link StoreConflictException} when {@code consumerId} no longer owns the durable.
     */
    CompletableFuture<Boolean> ackOrdered(String subject, String durable, String consumerId, long sequence);

    /**
     * Both modes: a delivery of {@code sequence} failed for {@code reason}; it may be delivered again after
     * {@code backoffSeconds} (0: at once). A competing claim is given back. False when the consumer did not hold it.
     */
    CompletableFuture<Boolean> failDelivery(String subject, String durable, String consumerId, long sequence,
                                            String reason, double backoffSeconds);

    /** Competing mode: every lease {@code consumerId} holds runs another {@code ackWaitSeconds}; how many there were. */
    CompletableFuture<Long> extendClaims(String subject, String durable, String consumerId, double ackWaitSeconds);

    /** Ordered mode: true when {@code consumerId} is (now) the single active consumer; renews its ownership. */
    CompletableFuture<Boolean> acquireOrdered(String subject, String durable, String consumerId, double ttlSeconds);

    CompletableFuture<Boolean> releaseOrdered(String subject, String durable, String consumerId);

    @Override
    void close();
}
