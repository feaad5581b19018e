package io.minitoolstream.camel.producer;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import io.minitoolstream.camel.store.NewMessage;
import io.minitoolstream.camel.store.OriginalMessage;
import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StoreConflictException;
import io.minitoolstream.camel.store.StoreDuplicateException;
import io.minitoolstream.camel.store.StoreInvalidArgumentException;
import io.minitoolstream.camel.store.StreamStore;
import io.minitoolstream.camel.support.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish protocol: a large payload is uploaded first under a fresh key, then one Tarantool call inserts the
 * record and assigns the sequence. A consumer therefore never sees a sequence whose payload is still uploading,
 * and a failed upload burns no sequence.
 * <p>
 * After an upload, the object is deleted only when Tarantool definitely refused the record (invalid, or a
 * conflict such as a duplicate message id). A timeout or a lost connection leaves it open whether the insert
 * committed, so the object stays: deleting it could leave a record without payload. An object no record
 * references is removed later by {@code sweepOrphans}, after orphanGracePeriod (longer than requestTimeout).
 * <p>
 * With a message id (idempotent publish), an id stored within the duplicate window makes the publish a duplicate:
 * nothing is stored, and the original's sequence and object name are returned. For an object-storage payload the
 * id is checked before the upload; two publishes of one id racing past that check both upload, one insert wins and
 * the other is refused as a duplicate, so its object is deleted.
 */
public final class Publisher {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final StreamStore streams;
    private final PayloadStore payloads;
    private final Executor uploads;

    public Publisher(StreamStore streams, PayloadStore payloads, Executor uploads) {
        this.streams = streams;
        this.payloads = payloads;
        this.uploads = uploads;
    }

    /**
     * The stored record's sequence, object name (null when inline) and payload size; for a duplicate, the
     * original's sequence and object name, and the size of the payload that was not stored.
     */
    public record Published(long sequence, String objectName, long size, boolean duplicate) {

        static Published duplicateOf(OriginalMessage original, long size) {
            return new Published(original.sequence(), original.objectName(), size, true);
        }
    }

    /** The idempotency key: a message id remembered for windowMillis; no id or a window of 0 turns it off. */
    public record MessageId(String id, long windowMillis) {

        static final MessageId NONE = new MessageId(null, 0);

        boolean isActive() {
            return id != null && windowMillis > 0;
        }
    }

    /** Without an idempotency key. */
    public CompletableFuture<Published> publish(String subject, Map<String, String> headers, PayloadSource source,
                                                String contentType) {
        return publish(subject, headers, source, contentType, MessageId.NONE);
    }

    public CompletableFuture<Published> publish(String subject, Map<String, String> headers, PayloadSource source,
                                                String contentType, MessageId messageId) {
        if (source instanceof PayloadSource.Inline inline) {
            long size = inline.bytes().length;
            NewMessage message = new NewMessage(subject, headers, null, inline.bytes(), size, contentType,
                    messageId.id(), messageId.windowMillis());
            return streams.publish(message).handle((sequence, failure) -> {
                if (failure == null) {
                    return new Published(sequence, null, size, false);
                }
                if (Futures.unwrap(failure) instanceof StoreDuplicateException duplicate) {
                    return Published.duplicateOf(duplicate.original(), size);
                }
                throw failure instanceof CompletionException ce ? ce : new CompletionException(failure);
            });
        }
        PayloadSource.Streamed streamed = (PayloadSource.Streamed) source;
        CompletableFuture<Optional<OriginalMessage>> earlier = messageId.isActive()
                ? streams.findMessageId(subject, messageId.id())
                : CompletableFuture.completedFuture(Optional.empty());
        return earlier.thenCompose(original -> original.isPresent()
                ? CompletableFuture.completedFuture(Published.duplicateOf(original.get(), -1))
                : uploadAndInsert(subject, headers, streamed, contentType, messageId));
    }

    private CompletableFuture<Published> uploadAndInsert(String subject, Map<String, String> headers,
                                                         PayloadSource.Streamed streamed, String contentType,
                                                         MessageId messageId) {
        String objectName = subject + "/" + UUID.randomUUID();
        return CompletableFuture.supplyAsync(() -> uploadOrDelete(objectName, streamed, contentType), uploads)
                .thenCompose(size -> streams.publish(new NewMessage(subject, headers, objectName, null, size,
                                contentType, messageId.id(), messageId.windowMillis()))
                        // Success goes on where the insert completed (one thread hop fewer per message); only a
                        // refusal needs blocking work, on the upload pool.
                        .handle((sequence, failure) -> failure == null
                                ? CompletableFuture.completedFuture(new Published(sequence, objectName, size, false))
                                : afterFailedInsert(objectName, size, failure))
                        .thenCompose(published -> published));
    }

    /** The upload; a failed one is deleted at once, since no record can reference it (its insert was never sent). */
    private long uploadOrDelete(String objectName, PayloadSource.Streamed streamed, String contentType) {
        try (CountingInputStream counted = new CountingInputStream(streamed.stream())) {
            payloads.put(objectName, counted, streamed.size(),
                    contentType != null ? contentType : DEFAULT_CONTENT_TYPE);
            return counted.count();
        } catch (IOException | RuntimeException e) {
            deleteObject(objectName, "a failed upload");
            throw e instanceof CompletionException ce ? ce : new CompletionException(e);
        }
    }

    private CompletableFuture<Published> afterFailedInsert(String objectName, long size, Throwable failure) {
        Throwable cause = Futures.unwrap(failure);
        if (!isDefiniteRefusal(cause)) {
            LOG.warn("Publishing {} failed without a definite answer ({}); the insert may still commit, so the object"
                     + " stays (sweepOrphans removes it after orphanGracePeriod if no record references it)",
                    objectName, cause.getMessage());
            return CompletableFuture.failedFuture(cause);
        }
        return CompletableFuture.supplyAsync(() -> {
            if (cause instanceof StoreDuplicateException duplicate) {
                if (!objectName.equals(duplicate.original().objectName())) {
                    deleteObject(objectName, "a duplicate publish");
                }
                return Published.duplicateOf(duplicate.original(), size);
            }
            deleteObject(objectName, "a refused insert");
            throw new CompletionException(cause);
        }, uploads);
    }

    /** Tarantool answered and stored nothing: invalid arguments or a conflict (including a duplicate). */
    static boolean isDefiniteRefusal(Throwable cause) {
        return cause instanceof StoreInvalidArgumentException || cause instanceof StoreConflictException;
    }

    private void deleteObject(String objectName, String after) {
        try {
            payloads.delete(objectName);
        } catch (RuntimeException e) {
            LOG.warn("Could not delete object {} after {}; the orphan sweep will remove it: {}", objectName, after,
                    e.getMessage());
        }
    }
}
