package io.minitoolstream.camel.support;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Sends items in batches with a bounded number of calls in flight. While every call slot is taken, added items
 * queue; when a call ends, the next one takes everything queued (up to {@code maxBatch}) in one round trip. An
 * idle batcher sends an item at once, so a lone caller never waits for company.
 * <p>
 * The one commit path of the component: the ordered consumer's position writes, competing consumers' acks and
 * the group commit of publishes all go through it. A failed call is the sender's business (its future carries
 * the failure); the batcher simply goes on with what is queued.
 *
 * @param <T> what is sent
 */
public final class InFlightBatcher<T> {

    private final Function<List<T>, CompletableFuture<?>> send;
    private final int maxCallsInFlight;
    private final int maxBatch;
    private final ArrayDeque<T> queued = new ArrayDeque<>();
    private int callsInFlight;

    /**
     * @param send             sends one batch; the returned future completes when the call ended (either way)
     * @param maxCallsInFlight calls out at once before items start to queue
     * @param maxBatch         most items in one call
     */
    public InFlightBatcher(Function<List<T>, CompletableFuture<?>> send, int maxCallsInFlight, int maxBatch) {
        if (maxCallsInFlight < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("maxCallsInFlight and maxBatch must be positive, were "
                                               + maxCallsInFlight + " and " + maxBatch);
        }
        this.send = send;
        this.maxCallsInFlight = maxCallsInFlight;
        this.maxBatch = maxBatch;
    }

    /** Sends {@code item} now when a call slot is free, otherwise with the next call that starts. */
    public void add(T item) {
        List<T> batch;
        synchronized (this) {
            queued.add(item);
            if (callsInFlight == maxCallsInFlight) {
                return;
            }
            callsInFlight++;
            batch = takeBatch();
        }
        sendOutsideLock(batch);
    }

    /** Waits until everything added so far was sent and every call ended; false when the time ran out first. */
    public synchronized boolean flush(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (callsInFlight > 0 || !queued.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private List<T> takeBatch() {
        List<T> batch = new ArrayList<>(Math.min(queued.size(), maxBatch));
        while (!queued.isEmpty() && batch.size() < maxBatch) {
            batch.add(queued.poll());
        }
        return batch;
    }

    /** Never under the lock: a call may complete on this very thread and come back into {@link #callEnded}. */
    private void sendOutsideLock(List<T> batch) {
        CompletableFuture<?> call;
        try {
            call = send.apply(batch);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((ignored, error) -> callEnded());
    }

    private void callEnded() {
        List<T> next;
        synchronized (this) {
            if (queued.isEmpty()) {
                callsInFlight--;
                notifyAll();
                return;
            }
            next = takeBatch();
        }
        sendOutsideLock(next);
    }
}
