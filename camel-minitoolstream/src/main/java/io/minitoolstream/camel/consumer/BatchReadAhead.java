package io.minitoolstream.camel.consumer;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.minitoolstream.camel.store.StoredMessage;
import io.minitoolstream.camel.store.StreamStore;


/**
 * Reads the batch after a full one while that one is being delivered, so a consumer working through a backlog
 * does not wait for Tarantool between batches. The batch read ahead is used only when the next poll starts exactly
 * where it begins (every message of the previous batch completed); otherwise it is dropped and read again. With a
 * backlog, up to two batches are in memory.
 */
final class BatchReadAhead {

    private final StreamStore streams;
    private final String subject;
    private final int batchSize;
    private CompletableFuture<List<StoredMessage>> ahead;
    private long aheadAfter;

    BatchReadAhead(StreamStore streams, String subject, int batchSize) {
        this.streams = streams;
        this.subject = subject;
        this.batchSize = batchSize;
    }

    /** The batch after {@code position}: the one read ahead when it starts there, otherwise a new read. */
    CompletableFuture<List<StoredMessage>> fetchAfter(long position) {
        CompletableFuture<List<StoredMessage>> ready = ahead;
        boolean usable = ready != null && aheadAfter == position && !ready.isCompletedExceptionally();
        discard();
        return usable ? ready : streams.fetchAfter(subject, position, batchSize);
    }

    /** Starts reading the batch after {@code batch} when it is full (more may be waiting). */
    void readAheadOf(List<StoredMessage> batch) {
        if (batch.size() == batchSize) {
            aheadAfter = batch.get(batch.size() - 1).sequence();
            ahead = streams.fetchAfter(subject, aheadAfter, batchSize);
        }
    }

    /** Forgets the batch read ahead (the position moved elsewhere, or the consumer stops). */
    void discard() {
        ahead = null;
        aheadAfter = -1;
    }
}
