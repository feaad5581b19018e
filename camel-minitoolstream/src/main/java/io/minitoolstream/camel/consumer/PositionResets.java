package io.minitoolstream.camel.consumer;

import io.minitoolstream.camel.store.PositionReset;
import io.minitoolstream.camel.store.StreamStore;
import io.minitoolstream.camel.support.Futures;

/**
 * How the active ordered consumer of a durable follows a {@code resetPosition}. The reset writes the position and
 * bumps the durable's reset count in Tarantool. At most every {@value #CHECK_INTERVAL_MILLIS} ms, at the start of
 * a poll, this consumer waits for its own position store in flight, then asks whether the count moved; if it did,
 * Tarantool writes the reset's position once more (undoing an ack of this consumer that raced the reset) and the
 * consumer continues from there. Waiting first matters: otherwise an ack still in flight could land after the
 * re-write and move the durable past the reset again.
 */
final class PositionResets {

    /** How soon a running consumer follows a reset; also what the check costs: one call per interval. */
    static final long CHECK_INTERVAL_MILLIS = 1000;

    private final StreamStore streams;
    private final String subject;
    private final String durable;
    private final long awaitMillis;
    /** The reset count this consumer's position reflects; null until learned. */
    private Long seen;
    private long checkedAt;

    PositionResets(StreamStore streams, String subject, String durable, long awaitMillis) {
        this.streams = streams;
        this.subject = subject;
        this.durable = durable;
        this.awaitMillis = awaitMillis;
    }

    /** Learns the current count without adopting anything: the consumer is about to read the stored position. */
    void learn() throws Exception {
        seen = Futures.await(streams.adoptPositionReset(durable, subject, null), awaitMillis).resets();
        checkedAt = System.currentTimeMillis();
    }

    /**
     * The position to continue from when the durable was reset since this consumer last looked; null otherwise
     * (also when it is not time to look yet, or the position writer could not catch up).
     */
    Long adopt(PositionWriter writer) throws Exception {
        if (seen == null) {
            learn();
            return null;
        }
        if (System.currentTimeMillis() - checkedAt < CHECK_INTERVAL_MILLIS) {
            return null;
        }
        checkedAt = System.currentTimeMillis();
        if (!writer.flush(awaitMillis)) {
            return null;
        }
        PositionReset reset = Futures.await(streams.adoptPositionReset(durable, subject, seen), awaitMillis);
        seen = reset.resets();
        if (reset.position() == null) {
            return null;
        }
        writer.restartFrom(reset.position());
        return reset.position();
    }
}
