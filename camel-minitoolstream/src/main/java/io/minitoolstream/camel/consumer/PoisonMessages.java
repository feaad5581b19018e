package io.minitoolstream.camel.consumer;

import io.minitoolstream.camel.store.StoredMessage;
import io.minitoolstream.camel.support.StreamMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages delivered maxDeliver times without completing: published to the dead-letter subject with their payload
 * and last failure (or dropped with a warning when there is none), after which the consumer acknowledges them and
 * the stream moves on. Both consumer modes.
 */
final class PoisonMessages {

    private static final Logger LOG = LoggerFactory.getLogger(PoisonMessages.class);

    private final int maxDeliver;
    private final DeadLetters deadLetters;
    private final StreamMetrics metrics;
    private final String durable;

    /** {@code maxDeliver} -1 means no limit; {@code deadLetters} null means drop. */
    PoisonMessages(int maxDeliver, DeadLetters deadLetters, StreamMetrics metrics, String durable) {
        this.maxDeliver = maxDeliver;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.durable = durable;
    }

    /** True when a message about to be delivered the {@code deliveryCount}-th time has had its deliveries. */
    boolean isExhausted(int deliveryCount) {
        return maxDeliver > 0 && deliveryCount > maxDeliver;
    }

    /** Dead-letters the message and returns once that is stored; the caller then acknowledges it. */
    void setAside(StoredMessage record, String lastFailure) throws Exception {
        String reason = "not completed after " + maxDeliver + " deliveries; last failure: "
                        + (lastFailure == null ? "unknown" : lastFailure);
        if (deadLetters != null) {
            deadLetters.publish(record, reason, true);
            LOG.warn("Message {} of subject {} sent to dead-letter subject {}: {}", record.sequence(),
                    record.subject(), deadLetters.subject(), reason);
        } else {
            LOG.warn("Message {} of subject {} dropped (no deadLetterSubject): {}", record.sequence(),
                    record.subject(), reason);
        }
        metrics.deadLettered(record.subject(), durable);
    }
}
