package io.minitoolstream.camel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 12, scenario 6: starting a durable at a point in time, and moving a running one back and forth. */
class ReplayTest extends ComponentTestSupport {

    @Test
    void byStartTimeStartsANewDurableAtTheFirstMessagePublishedAtOrAfterIt() throws Exception {
        publishAll(3);
        Instant start = pause();
        List<Long> late = publishAll(3);
        List<Delivery> byIso = syncList();
        List<Delivery> byMillis = syncList();
        context.addRoutes(recordingRoute(uri("durable=iso&deliverPolicy=byStartTime&startTime=" + start), byIso));
        context.addRoutes(recordingRoute(uri("durable=millis&deliverPolicy=byStartTime&startTime="
                + start.toEpochMilli()), byMillis));
        await("both durables", 10_000, () -> byIso.size() >= 3 && byMillis.size() >= 3);
        Thread.sleep(300);
        assertThat(snapshot(byIso)).extracting(Delivery::sequence).containsExactlyElementsOf(late);
        assertThat(snapshot(byMillis)).extracting(Delivery::sequence).containsExactlyElementsOf(late);
    }

    @Test
    void consumedTimestampsHaveMillisecondPrecision() throws Exception {
        template.requestBody(uri("operation=getLastSequence"), null, Long.class); // connected: publishes take ms
        Map<Long, long[]> publishedBetween = new java.util.HashMap<>();
        for (int i = 0; i < 3; i++) {
            long before = System.currentTimeMillis();
            long sequence = publish(("m" + i).getBytes(), Map.of()).getIn()
                    .getHeader(MiniToolStreamConstants.SEQUENCE, Long.class);
            publishedBetween.put(sequence, new long[] { before, System.currentTimeMillis() });
        }
        List<Delivery> received = syncList();
        context.addRoutes(recordingRoute(uri(""), received));
        await("3 messages", 10_000, () -> received.size() >= 3);
        for (Delivery delivery : snapshot(received)) {
            long[] window = publishedBetween.get(delivery.sequence());
            // a timestamp truncated to the second lies before its publish (unless a second began just then)
            assertThat((Long) delivery.headers().get(MiniToolStreamConstants.TIMESTAMP))
                    .as("timestamp of " + delivery.sequence()).isBetween(window[0], window[1]);
        }
    }

    @Test
    void resetPositionBackwardsRedeliversToTheRunningConsumer() throws Exception {
        List<Long> first = publishAll(3);
        Instant beforeLast = pause();
        List<Long> last = publishAll(2);
        List<Delivery> received = syncList();
        context.addRoutes(recordingRoute(uri("durable=r&delay=50"), received));
        await("5 messages", 10_000, () -> received.size() >= 5);
        await("the position stored", 10_000, () -> position("r") == last.get(1));

        long moved = reset("r", MiniToolStreamConstants.SEQUENCE, first.get(1));
        assertThat(moved).as("the position is the sequence before the one delivered next").isEqualTo(first.get(1) - 1);
        await("the replay from the 2nd message", 10_000, () -> received.size() >= 9);
        assertThat(sequences(received).subList(5, 9)).containsExactly(first.get(1), first.get(2), last.get(0),
                last.get(1));

        reset("r", MiniToolStreamConstants.START_TIME, beforeLast.toString());
        await("the replay from the time", 10_000, () -> received.size() >= 11);
        Thread.sleep(300);
        assertThat(sequences(received).subList(9, sequences(received).size())).containsExactly(last.get(0),
                last.get(1));
        await("the position stored again", 10_000, () -> position("r") == last.get(1));
    }

    @Test
    void resetPositionForwardsSkipsWhatTheRunningConsumerHasNotDeliveredYet() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Long> received = java.util.Collections.synchronizedList(new ArrayList<>());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("durable=f&delay=50")).process(exchange -> {
                    received.add(exchange.getIn().getHeader(MiniToolStreamConstants.SEQUENCE, Long.class));
                    if (exchange.getIn().getHeader("block") != null) {
                        release.await(10, TimeUnit.SECONDS);
                    }
                });
            }
        });
        long blocker = publish("blocker".getBytes(), Map.of("block", true)).getIn()
                .getHeader(MiniToolStreamConstants.SEQUENCE, Long.class);
        await("the blocking message in process", 10_000, () -> received.contains(blocker));
        List<Long> later = publishAll(4);
        reset("f", MiniToolStreamConstants.SEQUENCE, later.get(3));
        Thread.sleep(1200); // the consumer looks for resets at most once a second
        release.countDown();
        await("the message skipped to", 10_000, () -> received.contains(later.get(3)));
        Thread.sleep(300);
        assertThat(snapshot(received)).containsExactly(blocker, later.get(3));
    }

    /** A reset to sequence 1 stores position 0: a position like any other, not "none" (then deliverPolicy=new). */
    @Test
    void aDurableResetToBeforeTheFirstMessageStartsThereWhateverItsDeliverPolicy() throws Exception {
        List<Long> published = publishAll(3);
        assertThat(reset("fromZero", MiniToolStreamConstants.SEQUENCE, 1L)).isZero();
        List<Delivery> received = syncList();
        context.addRoutes(recordingRoute(uri("durable=fromZero&deliverPolicy=new"), received));
        await("the 3 messages", 10_000, () -> received.size() >= 3);
        assertThat(sequences(received)).containsExactlyElementsOf(published);
    }

    @Test
    void startTimeIsRequiredWithByStartTimeAndABadOneIsNamed() {
        assertThatThrownBy(() -> context.getEndpoint(uri("deliverPolicy=byStartTime")))
                .hasRootCauseMessage("deliverPolicy 'byStartTime' needs the startTime option (an ISO-8601 instant or"
                                     + " epoch milliseconds)");
        assertThatThrownBy(() -> context.getEndpoint(uri("deliverPolicy=byStartTime&startTime=yesterday")))
                .rootCause().hasMessageContaining("invalid startTime 'yesterday'");
        Exchange result = template.request(uri("operation=resetPosition&durable=d"), e -> { });
        assertThat(result.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(MiniToolStreamConstants.SEQUENCE)
                .hasMessageContaining(MiniToolStreamConstants.START_TIME);
    }

    private List<Long> publishAll(int count) {
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sequences.add(publish(("m" + i).getBytes(), Map.of()).getIn()
                    .getHeader(MiniToolStreamConstants.SEQUENCE, Long.class));
        }
        return sequences;
    }

    /** A moment strictly between what was published before and what is published after. */
    private static Instant pause() throws InterruptedException {
        Thread.sleep(30);
        Instant now = Instant.now();
        Thread.sleep(30);
        return now;
    }

    private long reset(String durable, String header, Object value) {
        return template.requestBodyAndHeader(uri("operation=resetPosition&durable=" + durable), null, header, value,
                Long.class);
    }

    private long position(String durable) {
        return template.requestBody(uri("operation=getConsumerPosition&durable=" + durable), null, Long.class);
    }

    private static List<Long> sequences(List<Delivery> deliveries) {
        return snapshot(deliveries).stream().map(Delivery::sequence).toList();
    }
}
