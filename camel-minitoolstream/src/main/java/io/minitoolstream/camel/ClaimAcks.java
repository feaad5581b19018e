package io.minitoolstream.camel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Acknowledges a competing consumer's completed messages in groups: at most one batch call is in flight, and
 * sequences completed meanwhile go out together in the next one, so a consumer does not pay a round trip (and a
 * transaction) per message. A failed call is not retried: its claims lapse after ackWait and the messages are
 * delivered again (at least once).
 */
final class ClaimAcks {

    private final Function<List<Long>, CompletableFuture<?>> sendBatch;
    private final int maxBatch;
    private final ArrayDeque<Long> queued = new ArrayDeque<>();
    private boolean callInFlight;

    /** {@code sendBatch} acknowledges the given sequences; at most {@code maxBatch} go in one call. */
    ClaimAcks(Function<List<Long>, CompletableFuture<?>> sendBatch, int maxBatch) {
        this.sendBatch = sendBatch;
        this.maxBatch = maxBatch;
    }

    /** Acknowledges {@code sequence} now, or with the next call when one is in flight. */
    void add(long sequence) {
        List<Long> batch;
        synchronized (this) {
            queued.add(sequence);
            if (callInFlight) {
                return;
            }
            batch = takeBatch();
        }
        send(batch);
    }

    /** Waits until every sequence added so far was sent and its call ended; false when the time ran out. */
    synchronized boolean flush(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (callInFlight || !queued.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Takes the next batch and marks a call in flight; the caller sends it outside the lock. */
    private List<Long> takeBatch() {
        List<Long> batch = new ArrayList<>(Math.min(queued.size(), maxBatch));
        while (!queued.isEmpty() && batch.size() < maxBatch) {
            batch.add(queued.poll());
        }
        callInFlight = true;
        return batch;
    }

    private void send(List<Long> batch) {
        CompletableFuture<?> call;
        try {
            call = sendBatch.apply(batch);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((ignored, error) -> callEnded());
    }

    private void callEnded() {
        List<Long> next = null;
        synchronized (this) {
            callInFlight = false;
            if (!queued.isEmpty()) {
                next = takeBatch();
            } else {
                notifyAll();
            }
        }
        if (next != null) {
            send(next);
        }
    }
}
