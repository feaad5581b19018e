package io.minitoolstream.camel;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** At-least-once delivery with durable positions, against the real servers. */
class DeliveryGuaranteesTest extends ComponentTestSupport {

    @Test
    void concurrentProducersAreSeenExactlyOnceInStrictlyIncreasingOrder() throws Exception {
        int perProducer = 1000;
        ExecutorService producers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> running = List.of(
                    producers.submit(() -> publishMany("A", perProducer)),
                    producers.submit(() -> publishMany("B", perProducer)));
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            producers.shutdown();
        }

        List<Delivery> deliveries = syncList();
        PollCounter polls = PollCounter.boundIn(context, "polls");
        context.addRoutes(recordingRoute(uri("durable=all&maxMessagesPerPoll=0&delay=10&pollStrategy=#polls"),
                deliveries));
        await("2,000 messages", 60_000, () -> deliveries.size() >= 2 * perProducer);
        polls.awaitTwoPolls(); // a duplicate would have come by now

        assertThat(deliveries).hasSize(2 * perProducer);
        Set<String> seen = new HashSet<>();
        long previous = 0;
        for (Delivery d : deliveries) {
            assertThat(d.sequence()).isGreaterThan(previous);
            previous = d.sequence();
            assertThat(seen.add(d.headers().get("producer") + "-" + d.headers().get("n"))).isTrue();
            assertThat(d.deliveryCount()).isEqualTo(1);
        }
        assertThat(seen).hasSize(2 * perProducer);
    }

    private void publishMany(String producer, int count) {
        for (int n = 0; n < count; n++) {
            publish(new byte[] { (byte) n }, Map.of("producer", producer, "n", n));
        }
    }

    @Test
    void aFailedMessageComesBackFirstWithItsDeliveryCountAndThePositionWaits() throws Exception {
        for (int n = 1; n <= 5; n++) {
            publish(("m" + n).getBytes(), Map.of("n", n));
        }
        List<String> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        List<Long> positionAtFailure = syncLongs();
        String positionUri = uri("operation=getConsumerPosition&durable=retry");
        PollCounter polls = PollCounter.boundIn(context, "polls");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("durable=retry&delay=100&pollStrategy=#polls")).process(exchange -> {
                    String n = exchange.getIn().getHeader("n", String.class);
                    int count = exchange.getIn().getHeader(MiniToolStreamConstants.DELIVERY_COUNT, Integer.class);
                    order.add(n + "#" + count);
                    if ("3".equals(n)) {
                        // the position is stored without holding up delivery: read it at the failure and again
                        // when the failed message comes back (the failed batch's end waited for it)
                        positionAtFailure.add(template.requestBody(positionUri, null, Long.class));
                    }
                    if ("3".equals(n) && count == 1) {
                        throw new IllegalStateException("route failure on message 3");
                    }
                });
            }
        });
        await("all five after the retry", 20_000, () -> order.size() >= 6);
        polls.awaitTwoPolls();
        assertThat(snapshot(order)).containsExactly("1#1", "2#1", "3#1", "3#2", "4#1", "5#1");
        List<?> firstTwo = template.requestBodyAndHeader(uri("operation=peek&durable=never"), null,
                MiniToolStreamConstants.LIMIT, 2, List.class);
        long sequenceOfSecond = ((MiniToolStreamMessage) firstTwo.get(1)).getSequence();
        assertThat(positionAtFailure).hasSize(2);
        assertThat(positionAtFailure.get(0)).as("never past the failed message").isLessThanOrEqualTo(sequenceOfSecond);
        assertThat(positionAtFailure.get(1)).as("stored up to the message before it").isEqualTo(sequenceOfSecond);
        long last = template.requestBody(uri("operation=getLastSequence"), null, Long.class);
        await("the position at the last message", 5_000,
                () -> template.requestBody(positionUri, null, Long.class) == last);
    }

    private static List<Long> syncLongs() {
        return java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    }

    @Test
    void durablePositionSurvivesAContextRestart() throws Exception {
        for (int n = 1; n <= 5; n++) {
            publish(new byte[] { (byte) n }, Map.of("n", n));
        }
        List<Delivery> first = syncList();
        CamelContext consumer = newContext(recordingRoute(uri("durable=restart&delay=50"), first));
        await("first five", 10_000, () -> first.size() == 5);
        consumer.stop();

        for (int n = 6; n <= 10; n++) {
            publish(new byte[] { (byte) n }, Map.of("n", n));
        }
        List<Delivery> second = syncList();
        CamelContext restarted = newContext();
        try {
            PollCounter polls = PollCounter.boundIn(restarted, "polls");
            restarted.addRoutes(recordingRoute(uri("durable=restart&delay=50&pollStrategy=#polls"), second));
            await("second five", 10_000, () -> second.size() == 5);
            polls.awaitTwoPolls();
            assertThat(second).extracting(d -> d.headers().get("n")).containsExactly("6", "7", "8", "9", "10");
        } finally {
            restarted.stop();
        }
    }

    @Test
    void batchAckStoresOnePositionPerBatchAndStillRedeliversAFailureInOrder() throws Exception {
        for (int n = 1; n <= 5; n++) {
            publish(new byte[] { (byte) n }, Map.of("n", n));
        }
        List<String> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        CamelContext consumer = newContext(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("durable=batched&batchAck=true&delay=50")).process(exchange -> {
                    String n = exchange.getIn().getHeader("n", String.class);
                    int count = exchange.getIn().getHeader(MiniToolStreamConstants.DELIVERY_COUNT, Integer.class);
                    order.add(n + "#" + count);
                    if ("3".equals(n) && count == 1) {
                        throw new IllegalStateException("route failure on message 3");
                    }
                });
            }
        });
        await("all five after the retry", 10_000, () -> order.size() >= 6);
        long last = template.requestBody(uri("operation=getLastSequence"), null, Long.class);
        await("the batch's position stored", 5_000, () -> template.requestBody(
                uri("operation=getConsumerPosition&durable=batched"), null, Long.class) == last);
        consumer.stop();
        assertThat(snapshot(order)).containsExactly("1#1", "2#1", "3#1", "3#2", "4#1", "5#1");

        List<Delivery> again = syncList();
        CamelContext restarted = newContext(recordingRoute(uri("durable=batched&batchAck=true&delay=50"), again));
        try {
            // A marker published now arrives after anything the restarted consumer would deliver again.
            publish(new byte[] { 6 }, Map.of("n", "marker"));
            await("the marker", 10_000, () -> snapshot(again).stream()
                    .anyMatch(d -> "marker".equals(d.headers().get("n"))));
            assertThat(snapshot(again)).extracting(d -> d.headers().get("n"))
                    .as("nothing completed is delivered again after a clean stop").containsExactly("marker");
        } finally {
            restarted.stop();
        }
    }

    @Test
    void objectStoragePayloadsOpenedAheadArriveInOrderAndAFailureStillRedeliversFirst() throws Exception {
        String s3Only = "inlineThreshold=0";
        for (int n = 1; n <= 30; n++) {
            publish(uri(s3Only), "payload-" + n, Map.of("n", n));
        }
        List<String> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        PollCounter polls = PollCounter.boundIn(context, "polls");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("durable=prefetched&payloadPrefetch=4&maxMessagesPerPoll=10&delay=50&pollStrategy=#polls"))
                        .process(exchange -> {
                            String n = exchange.getIn().getHeader("n", String.class);
                            int count = exchange.getIn().getHeader(MiniToolStreamConstants.DELIVERY_COUNT, Integer.class);
                            String body = exchange.getIn().getBody(String.class);
                            order.add(n + "#" + count + "=" + body);
                            if ("12".equals(n) && count == 1) {
                                throw new IllegalStateException("route failure on message 12");
                            }
                        });
            }
        });
        await("thirty after the retry", 30_000, () -> order.size() >= 31);
        polls.awaitTwoPolls();
        List<String> expected = new java.util.ArrayList<>();
        for (int n = 1; n <= 30; n++) {
            expected.add(n + "#1=payload-" + n);
            if (n == 12) {
                expected.add("12#2=payload-12");
            }
        }
        assertThat(snapshot(order)).containsExactlyElementsOf(expected);
    }

    @Test
    void twoDurablesEachReceiveEverything() throws Exception {
        for (int n = 1; n <= 20; n++) {
            publish(new byte[] { (byte) n }, Map.of("n", n));
        }
        List<Delivery> a = syncList();
        List<Delivery> b = syncList();
        PollCounter polls = PollCounter.boundIn(context, "polls");
        context.addRoutes(recordingRoute(uri("durable=a&delay=50&pollStrategy=#polls"), a));
        context.addRoutes(recordingRoute(uri("durable=b&delay=50&maxMessagesPerPoll=3&pollStrategy=#polls"), b));
        await("both durables", 20_000, () -> a.size() >= 20 && b.size() >= 20);
        polls.awaitPolls(2, 2, 10_000);
        assertThat(a).hasSize(20);
        assertThat(b).hasSize(20);
        assertThat(a).extracting(Delivery::sequence).isEqualTo(snapshot(b).stream().map(Delivery::sequence).toList());
    }

    @Test
    void nonDurableConsumersStartWhereTheDeliverPolicySays() throws Exception {
        for (int n = 1; n <= 3; n++) {
            publish(new byte[] { (byte) n }, Map.of("n", n));
        }
        long second = ((MiniToolStreamMessage) template.requestBodyAndHeader(uri("operation=peek&durable=x"), null,
                MiniToolStreamConstants.LIMIT, 2, List.class).get(1)).getSequence();
        List<Delivery> all = syncList();
        List<Delivery> fromSecond = syncList();
        List<Delivery> onlyNew = syncList();
        context.addRoutes(recordingRoute(uri("deliverPolicy=all&delay=50"), all));
        context.addRoutes(recordingRoute(uri("deliverPolicy=bySequence&startSequence=" + second + "&delay=50"),
                fromSecond));
        PollCounter newPolls = PollCounter.boundIn(context, "newPolls");
        context.addRoutes(recordingRoute(uri("deliverPolicy=new&delay=50&pollStrategy=#newPolls"), onlyNew));
        await("the existing messages", 10_000, () -> all.size() == 3 && fromSecond.size() == 2);
        newPolls.awaitPolls(1, 1, 10_000); // its start position is taken: message 4 is new to it
        publish(new byte[] { 4 }, Map.of("n", 4));
        await("the new message", 10_000, () -> onlyNew.size() == 1 && all.size() == 4);
        assertThat(onlyNew.get(0).headers()).containsEntry("n", "4");
        assertThat(fromSecond.get(0).headers()).containsEntry("n", "2");
    }
}
