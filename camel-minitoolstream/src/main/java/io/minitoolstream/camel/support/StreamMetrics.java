package io.minitoolstream.camel.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The component's Micrometer meters. Without a MeterRegistry every call does nothing. Tags: {@code subject},
 * {@code storage} (inline or s3) on published messages, {@code durable} ("-" for non-durable consumers) on
 * consumed ones.
 */
public final class StreamMetrics {

    public static final String PUBLISHED = "minitoolstream.messages.published";
    public static final String PUBLISH_FAILED = "minitoolstream.messages.publish.failed";
    public static final String BYTES_PUBLISHED = "minitoolstream.bytes.published";
    public static final String CONSUMED = "minitoolstream.messages.consumed";
    public static final String REDELIVERED = "minitoolstream.messages.redelivered";
    public static final String CONSUME_FAILED = "minitoolstream.messages.consume.failed";
    public static final String BYTES_CONSUMED = "minitoolstream.bytes.consumed";
    public static final String LAG = "minitoolstream.consumer.lag";
    /** Acknowledgements Tarantool refused because the consumer no longer held the durable or the message. */
    public static final String ACKS_REFUSED = "minitoolstream.acks.refused";
    public static final String DEAD_LETTERED = "minitoolstream.messages.deadlettered";

    private static final StreamMetrics NONE = new StreamMetrics(null);

    private final MeterRegistry registry;
    private final Map<Tags, AtomicLong> lags = new ConcurrentHashMap<>();

    private StreamMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public static StreamMetrics of(MeterRegistry registry) {
        return registry == null ? NONE : new StreamMetrics(registry);
    }

    public void published(String subject, boolean inline, long bytes) {
        if (registry != null) {
            Tags tags = Tags.of("subject", subject, "storage", inline ? "inline" : "s3");
            registry.counter(PUBLISHED, tags).increment();
            Counter.builder(BYTES_PUBLISHED).baseUnit("bytes").tags(tags).register(registry).increment(bytes);
        }
    }

    public void publishFailed(String subject) {
        if (registry != null) {
            registry.counter(PUBLISH_FAILED, "subject", subject).increment();
        }
    }

    public void consumed(String subject, String durable, Long bytes, boolean redelivery) {
        if (registry != null) {
            Tags tags = consumerTags(subject, durable);
            registry.counter(CONSUMED, tags).increment();
            if (redelivery) {
                registry.counter(REDELIVERED, tags).increment();
            }
            if (bytes != null) {
                Counter.builder(BYTES_CONSUMED).baseUnit("bytes").tags(tags).register(registry).increment(bytes);
            }
        }
    }

    public void consumeFailed(String subject, String durable) {
        if (registry != null) {
            registry.counter(CONSUME_FAILED, consumerTags(subject, durable)).increment();
        }
    }

    public void acksRefused(String subject, String durable, int count) {
        if (registry != null) {
            registry.counter(ACKS_REFUSED, consumerTags(subject, durable)).increment(count);
        }
    }

    public void deadLettered(String subject, String durable) {
        if (registry != null) {
            registry.counter(DEAD_LETTERED, consumerTags(subject, durable)).increment();
        }
    }

    /** Messages of the subject after the consumer's position. */
    public void lag(String subject, String durable, long messages) {
        if (registry != null) {
            Tags tags = consumerTags(subject, durable);
            lags.computeIfAbsent(tags, t -> {
                AtomicLong value = new AtomicLong();
                Gauge.builder(LAG, value, AtomicLong::get).tags(t).register(registry);
                return value;
            }).set(messages);
        }
    }

    private static Tags consumerTags(String subject, String durable) {
        return Tags.of("subject", subject, "durable", durable == null ? "-" : durable);
    }
}
