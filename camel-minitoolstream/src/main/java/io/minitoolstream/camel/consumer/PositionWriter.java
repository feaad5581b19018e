package io.minitoolstream.camel.consumer;

import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

import io.minitoolstream.camel.support.InFlightBatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a durable's position without making delivery wait for Tarantool. At most one ack call is in flight;
 * sequences completed meanwhile are folded into the next call (the highest of them), which is correct because
 * acks are cumulative and monotonic. The stored position therefore trails the completed one by at most one round
 * trip, and a crash redelivers only what was completed in that window: at-least-once holds.
 */
final class PositionWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PositionWriter.class);

    private final LongFunction<CompletableFuture<?>> ackCall;
    private final String description;
    private final InFlightBatcher<Long> calls;
    /** The highest completed sequence handed to this writer. */
    private long completed;
    /** The highest sequence Tarantool confirmed. */
    private long stored;
    /** Set when a call failed; nothing new is sent until {@link #retry} or {@link #flush}, so an outage is not hammered. */
    private boolean failed;

    /** {@code ackCall} stores a position; {@code description} names the durable in log lines. */
    PositionWriter(LongFunction<CompletableFuture<?>> ackCall, String description) {
        this.ackCall = ackCall;
        this.description = description;
        this.calls = new InFlightBatcher<>(sequences -> store(Collections.max(sequences)), 1, Integer.MAX_VALUE);
    }

    /** Records that everything up to {@code sequence} was completed; starts storing it when no call is in flight. */
    synchronized void advance(long sequence) {
        if (sequence <= completed) {
            return;
        }
        completed = sequence;
        if (!failed) {
            calls.add(sequence);
        }
    }

    /** Starts storing what is not stored yet, also after a failed call; does not wait. */
    synchronized void retry() {
        failed = false;
        if (completed > stored) {
            calls.add(completed);
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
            synchronized (this) {
                if (stored >= completed) {
                    return true;
                }
                if (failed && retried) {
                    return false;
                }
                if (failed) {
                    retried = true;
                    retry();
                }
            }
            try {
                long leftNanos = deadline - System.nanoTime();
                // rounded up, so the writer never gives up before the time it was given
                if (leftNanos <= 0 || !calls.flush((leftNanos + 999_999) / 1_000_000)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * After the durable was reset (and nothing is in flight: call {@link #flush} first): {@code position} is what
     * is stored now, and completions from there on are stored again even when they are below earlier ones.
     */
    synchronized void restartFrom(long position) {
        completed = position;
        stored = position;
        failed = false;
    }

    /** The highest sequence Tarantool confirmed so far. */
    synchronized long stored() {
        return stored;
    }

    /** The returned stage ends after the outcome is recorded, so a flush that sees the call end sees its result. */
    private CompletableFuture<?> store(long sequence) {
        CompletableFuture<?> call;
        try {
            call = ackCall.apply(sequence);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.whenComplete((ignored, error) -> recordOutcome(sequence, error));
    }

    private synchronized void recordOutcome(long sequence, Throwable error) {
        if (error != null) {
            failed = true;
            LOG.warn("Could not store position {} of {}; retrying at the end of the batch: {}", sequence, description,
                    error.getMessage());
            return;
        }
        stored = Math.max(stored, sequence);
    }
}
