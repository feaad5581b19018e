package io.minitoolstream.camel;

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
final class StreamMetrics {

    static final String PUBLISHED = "minitoolstream.messages.published";
    static final String PUBLISH_FAILED = "minitoolstream.messages.publish.failed";
    static final String BYTES_PUBLISHED = "minitoolstream.bytes.published";
    static final String CONSUMED = "minitoolstream.messages.consumed";
    static final String REDELIVERED = "minitoolstream.messages.redelivered";
    static final String CONSUME_FAILED = "minitoolstream.messages.consume.failed";
    static final String BYTES_CONSUMED = "minitoolstream.bytes.consumed";
    static final String LAG = "minitoolstream.consumer.lag";

    private static final StreamMetrics NONE = new StreamMetrics(null);

    private final MeterRegistry registry;
    private final Map<Tags, AtomicLong> lags = new ConcurrentHashMap<>();

    private StreamMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static StreamMetrics of(MeterRegistry registry) {
        return registry == null ? NONE : new StreamMetrics(registry);
    }

    void published(String subject, boolean inline, long bytes) {
        if (registry != null) {
            Tags tags = Tags.of("subject", subject, "storage", inline ? "inline" : "s3");
            registry.counter(PUBLISHED, tags).increment();
            Counter.builder(BYTES_PUBLISHED).baseUnit("bytes").tags(tags).register(registry).increment(bytes);
        }
    }

    void publishFailed(String subject) {
        if (registry != null) {
            registry.counter(PUBLISH_FAILED, "subject", subject).increment();
        }
    }

    void consumed(String subject, String durable, Long bytes, boolean redelivery) {
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

    void consumeFailed(String subject, String durable) {
        if (registry != null) {
            registry.counter(CONSUME_FAILED, consumerTags(subject, durable)).increment();
        }
    }

    /** Messages of the subject after the consumer's position. */
    void lag(String subject, String durable, long messages) {
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
