package io.minitoolstream.examples;

import io.minitoolstream.camel.MiniToolStreamConstants;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.DevServicesExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping the application (camel-main, camel.main.shutdown-timeout) while a durable consumer route processes a
 * message: the message either completes and stays acknowledged, or stays unacknowledged and is delivered again
 * at the next start; messages after it wait for the next start; the stop never takes much longer than the timeout.
 */
@ExtendWith(DevServicesExtension.class)
class GracefulShutdownTest {

    private static final String DURABLE = "shutdown-test";

    @Test
    void anExchangeThatFinishesWithinTheTimeoutIsCompletedAndAcknowledged(DevServices services) throws Exception {
        String subject = RunningApp.subject("graceful");
        HoldingRoute holding = new HoldingRoute(subject, Duration.ofSeconds(2));
        List<Long> published;
        long stopMillis;
        try (RunningApp app = start(services, "10", holding)) {
            published = publishThree(app, subject);
            assertThat(SubscribeTest.waitUntil(() -> !holding.started.isEmpty(), Duration.ofSeconds(20))).isTrue();
            stopMillis = timedClose(app);
        }
        // It waited for the exchange in flight (held 2 s), not for the timeout (10 s).
        assertThat(stopMillis).isBetween(1000L, 9000L);
        assertThat(holding.completed).containsExactly(published.get(0));
        // The rest was not started: the stop lets only the current exchange finish.
        assertThat(holding.started).containsExactly(published.get(0));
        assertThat(deliveredAtNextStart(services, subject, 2)).containsExactlyElementsOf(published.subList(1, 3));
    }

    @Test
    void anExchangeThatOutlivesTheTimeoutIsCutOffAndDeliveredAgainAtTheNextStart(DevServices services)
            throws Exception {
        String subject = RunningApp.subject("forced");
        HoldingRoute holding = new HoldingRoute(subject, Duration.ofMinutes(5));
        List<Long> published;
        long stopMillis;
        try {
            try (RunningApp app = start(services, "2", holding)) {
                published = publishThree(app, subject);
                assertThat(SubscribeTest.waitUntil(() -> !holding.started.isEmpty(), Duration.ofSeconds(20))).isTrue();
                stopMillis = timedClose(app);
            }
        } finally {
            holding.release.countDown();
        }
        assertThat(stopMillis).as("stop after a 2 s shutdown timeout").isBetween(1500L, 8000L);
        assertThat(holding.completed).isEmpty();
        assertThat(deliveredAtNextStart(services, subject, 3)).containsExactlyElementsOf(published);
    }

    private static RunningApp start(DevServices services, String shutdownTimeoutSeconds, RouteBuilder route)
            throws Exception {
        return RunningApp.start(services, Map.of("camel.main.shutdown-timeout", shutdownTimeoutSeconds),
                context -> addRoutes(context, route));
    }

    private static List<Long> publishThree(RunningApp app, String subject) {
        return List.of(1, 2, 3).stream().map(n -> app.publish(subject, "m" + n, Map.of()).getSequence()).toList();
    }

    private static long timedClose(RunningApp app) {
        long start = System.nanoTime();
        app.close();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** The sequences the durable gets after a restart, in order, once {@code expected} arrived (and a moment more). */
    private static List<Long> deliveredAtNextStart(DevServices services, String subject, int expected)
            throws Exception {
        List<Long> delivered = new CopyOnWriteArrayList<>();
        RouteBuilder recording = new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(subject)).routeId("recording-consumer")
                        .process(e -> delivered.add(e.getMessage().getHeader(MiniToolStreamConstants.SEQUENCE,
                                Long.class)));
            }
        };
        try (RunningApp ignored = RunningApp.start(services, Map.of(), context -> addRoutes(context, recording))) {
            assertThat(SubscribeTest.waitUntil(() -> delivered.size() >= expected, Duration.ofSeconds(30)))
                    .as("delivered %s", delivered).isTrue();
            Thread.sleep(500);
        }
        return delivered;
    }

    /** ackWait 5 s: were the forced stop to leave the durable's lease behind, the next start waits only that long. */
    private static String consumerUri(String subject) {
        return "minitoolstream:" + subject + "?durable=" + DURABLE + "&delay=100&ackWait=5000";
    }

    private static void addRoutes(CamelContext context, RouteBuilder route) {
        try {
            context.addRoutes(route);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A durable consumer whose processing of each message takes {@code hold} (or until released/interrupted). */
    private static final class HoldingRoute extends RouteBuilder {
        final List<Long> started = new CopyOnWriteArrayList<>();
        final List<Long> completed = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        private final String subject;
        private final Duration hold;

        HoldingRoute(String subject, Duration hold) {
            this.subject = subject;
            this.hold = hold;
        }

        @Override
        public void configure() {
            from(consumerUri(subject)).routeId("holding-consumer").process(exchange -> {
                long sequence = exchange.getMessage().getHeader(MiniToolStreamConstants.SEQUENCE, Long.class);
                started.add(sequence);
                release.await(hold.toMillis(), TimeUnit.MILLISECONDS);
                completed.add(sequence);
            });
        }
    }
}
