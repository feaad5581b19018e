package io.minitoolstream.camel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minitoolstream.camel.support.StreamMetrics;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Meters count what really happened: publishes per storage, bytes, consumption, redeliveries, failures, lag. */
class MetricsTest extends ComponentTestSupport {

    @Test
    void metersFollowPublishingAndConsuming() throws Exception {
        MeterRegistry meters = new SimpleMeterRegistry();
        context.getRegistry().bind("meters", meters);
        MiniToolStreamComponent component = context.getComponent("minitoolstream", MiniToolStreamComponent.class);
        component.getConfiguration().setMeterRegistry(meters);

        publish(uri("inlineThreshold=100"), new byte[10], Map.of());
        publish(uri("inlineThreshold=100"), new byte[10], Map.of());
        publish(uri("inlineThreshold=100"), new byte[500], Map.of());
        assertThat(meters.counter(StreamMetrics.PUBLISHED, "subject", subject, "storage", "inline").count())
                .isEqualTo(2);
        assertThat(meters.counter(StreamMetrics.PUBLISHED, "subject", subject, "storage", "s3").count())
                .isEqualTo(1);
        assertThat(meters.counter(StreamMetrics.BYTES_PUBLISHED, "subject", subject, "storage", "s3").count())
                .isEqualTo(500);

        AtomicBoolean failedOnce = new AtomicBoolean();
        List<Delivery> seen = syncList();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("durable=m&delay=50&maxMessagesPerPoll=2")).process(exchange -> {
                    if (failedOnce.compareAndSet(false, true)) {
                        throw new IllegalStateException("first attempt fails");
                    }
                    seen.add(record(exchange));
                });
            }
        });
        await("all three consumed", 10_000, () -> seen.size() == 3);
        String[] tags = { "subject", subject, "durable", "m" };
        await("the last commit", 5_000, () -> meters.counter(StreamMetrics.CONSUMED, tags).count() == 3);
        assertThat(meters.counter(StreamMetrics.CONSUME_FAILED, tags).count()).isEqualTo(1);
        assertThat(meters.counter(StreamMetrics.REDELIVERED, tags).count()).isEqualTo(1);
        assertThat(meters.counter(StreamMetrics.BYTES_CONSUMED, tags).count()).isEqualTo(520);
        await("lag back to 0", 5_000, () -> {
            var gauge = meters.find(StreamMetrics.LAG).tags(tags).gauge();
            return gauge != null && gauge.value() == 0;
        });
    }
}
