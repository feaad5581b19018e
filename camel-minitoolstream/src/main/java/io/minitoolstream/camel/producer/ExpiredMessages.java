package io.minitoolstream.camel.producer;

import java.util.List;

import io.minitoolstream.camel.store.ExpiredMessage;
import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StreamStore;
import io.minitoolstream.camel.support.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code deleteOldMessages} operation: deletes expired records in bounded batches (Tarantool never stalls),
 * then their payload objects. An object that cannot be deleted is left to the orphan sweep.
 */
final class ExpiredMessages {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiredMessages.class);
    private static final int BATCH = 1000;

    private final StreamStore streams;
    private final PayloadStore payloads;
    private final long timeoutMillis;

    ExpiredMessages(StreamStore streams, PayloadStore payloads, long timeoutMillis) {
        this.streams = streams;
        this.payloads = payloads;
        this.timeoutMillis = timeoutMillis;
    }

    /** Deletes the messages older than {@code ttlSeconds} of one subject, or of all when it is null; returns how many. */
    long delete(long ttlSeconds, String subject) throws Exception {
        long deleted = 0;
        List<ExpiredMessage> batch;
        do {
            batch = Futures.await(streams.deleteExpired(ttlSeconds, subject, BATCH), timeoutMillis);
            for (ExpiredMessage expired : batch) {
                if (expired.objectName() != null) {
                    deleteObject(expired);
                }
            }
            deleted += batch.size();
        } while (batch.size() == BATCH);
        if (deleted > 0) {
            LOG.info("Deleted {} messages older than {} s from {}", deleted, ttlSeconds,
                    subject == null ? "all subjects" : "subject " + subject);
        }
        return deleted;
    }

    private void deleteObject(ExpiredMessage expired) {
        try {
            payloads.delete(expired.objectName());
        } catch (RuntimeException e) {
            LOG.warn("Message {} was deleted but its object {} was not ({}); the orphan sweep will remove it",
                    expired.sequence(), expired.objectName(), e.getMessage());
        }
    }
}
