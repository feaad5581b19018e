package io.minitoolstream.camel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a durable's position without making delivery wait for Tarantool. At most one ack call is in flight;
 * sequences completed meanwhile are coalesced into the next call, which is correct because acks are cumulative
 * and monotonic. The stored position therefore trails the completed one by at most one round trip, and a crash
 * redelivers only what was completed in that window: at-least-once holds.
 */
final class PositionWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PositionWriter.class);

    private final LongFunction<CompletableFuture<?>> ackCall;
    private final String description;
    /** The highest completed sequence handed to this writer. */
    private long completed;
    /** The highest sequence Tarantool confirmed. */
    private long stored;
    private CompletableFuture<?> inFlight;
    /** Set when a call failed; no new call starts until {@link #flush} retries, so an outage is not hammered. */
    private boolean failed;

    /** {@code ackCall} stores a position; {@code description} names the durable in log lines. */
    PositionWriter(LongFunction<CompletableFuture<?>> ackCall, String description) {
        this.ackCall = ackCall;
        this.description = description;
    }

    /** Records that everything up to {@code sequence} was completed; starts storing it when no call is in flight. */
    synchronized void advance(long sequence) {
        if (sequence <= completed) {
            return;
        }
        completed = sequence;
        if (inFlight == null && !failed) {
            send();
        }
    }

    /** Starts storing what is not stored yet, retrying after a failed call; does not wait. */
    synchronized void retry() {
        failed = false;
        if (inFlight == null && completed > stored) {
            send();
        }
    }

    /**
     * Waits until every sequence advanced so far is stored, retrying once after an earlier failure.
     *
     * @return true when the stored position caught up; false after a failure or when the time ran out
     */
    boolean flush(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        boolean retried = false;
        while (true) {
            CompletableFuture<?> waitFor;
            synchronized (this) {
                if (stored >= completed) {
                    return true;
                }
                if (failed) {
                    if (retried) {
                        return false;
                    }
                    retried = true;
                    failed = false;
                }
                if (inFlight == null) {
                    send();
                }
                waitFor = inFlight;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                waitFor.get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                // recorded by the completion handler; the loop sees `failed`
            }
        }
    }

    /** The highest sequence Tarantool confirmed so far. */
    synchronized long stored() {
        return stored;
    }

    private void send() {
        long sequence = completed;
        CompletableFuture<?> call;
        try {
            call = ackCall.apply(sequence);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        inFlight = call;
        call.whenComplete((ignored, error) -> completedCall(sequence, error));
    }

    private synchronized void completedCall(long sequence, Throwable error) {
        inFlight = null;
        if (error != null) {
            failed = true;
            LOG.warn("Could not store position {} of {}; retrying at the end of the batch: {}", sequence, description,
                    error.getMessage());
            return;
        }
        stored = Math.max(stored, sequence);
        if (completed > stored) {
            send();
        }
    }
}
