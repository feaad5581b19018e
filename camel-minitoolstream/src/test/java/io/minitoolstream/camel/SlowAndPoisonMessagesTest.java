package io.minitoolstream.camel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.minitoolstream.camel.consumer.StreamConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery semantics where large payloads live: work longer than ackWait keeps its lease (both modes), poison
 * messages leave the subject after maxDeliver (ordered mode too), delivery counts live in Tarantool, redeliveries
 * back off, and acknowledgements of a consumer that lost its durable are refused.
 */
class SlowAndPoisonMessagesTest extends ComponentTestSupport {

    private static final long ACK_WAIT = 1000;

    /** One route per context that records who processed what, and how many exchanges were in process at once. */
    private static final class Work {
        final List<String> processed = list();
        final AtomicInteger inProcess = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        RouteBuilder route(String uri, String name, String slowBody, long slowMillis) {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId(name).process(e -> {
                        mostAtOnce.accumulateAndGet(inProcess.incrementAndGet(), Math::max);
                        try {
                            String body = e.getIn().getBody(String.class);
                            if (body.equals(slowBody)) {
                                Thread.sleep(slowMillis);
                            }
                            processed.add(body + "@" + name);
                        } finally {
                            inProcess.decrementAndGet();
                        }
                    });
                }
            };
        }

        List<String> bodies() {
            return snapshot(processed).stream().map(p -> p.substring(0, p.indexOf('@'))).toList();
        }
    }

    private static <T> List<T> list() {
        return java.util.Collections.synchronizedList(new ArrayList<>());
    }

    private void publishAll(String... bodies) {
        for (String body : bodies) {
            publish(body.getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    @Test
    void orderedWorkThreeTimesLongerThanAckWaitKeepsTheDurableAndNothingOvertakesIt() throws Exception {
        publishAll("m1", "m2", "m3");
        Work work = new Work();
        String options = uri("durable=slow&ackWait=" + ACK_WAIT + "&delay=20");
        newContext(work.route(options, "first", "m1", 3 * ACK_WAIT + 500));
        await("the first context to start on m1", 10_000, () -> work.inProcess.get() == 1);
        newContext(work.route(options, "standby", "m1", 3 * ACK_WAIT + 500));

        await("all three", 20_000, () -> work.processed.size() >= 3);
        Thread.sleep(2 * ACK_WAIT); // a standby that took over early would deliver again by now
        assertThat(work.mostAtOnce.get()).as("messages in process at once").isEqualTo(1);
        assertThat(work.bodies()).containsExactly("m1", "m2", "m3");
        assertThat(snapshot(work.processed)).allMatch(p -> p.endsWith("@first"));
    }

    @Test
    void competingWorkLongerThanAckWaitKeepsItsClaimAndIsProcessedOnce() throws Exception {
        publishAll("c1", "slow", "c3", "c4", "c5");
        Work work = new Work();
        String options = uri("durable=share&consumerMode=competing&ackWait=" + ACK_WAIT
                             + "&maxMessagesPerPoll=1&delay=20");
        newContext(work.route(options, "a", "slow", 3 * ACK_WAIT + 500));
        newContext(work.route(options, "b", "slow", 3 * ACK_WAIT + 500));

        await("all five", 20_000, () -> work.processed.size() >= 5);
        Thread.sleep(2 * ACK_WAIT); // a lapsed claim would be processed a second time by now
        assertThat(work.bodies()).containsExactlyInAnyOrder("c1", "slow", "c3", "c4", "c5");
    }

    @Test
    void anOrderedPoisonMessageIsDeadLetteredWithPayloadAndReasonAndTheSubjectMovesOn() throws Exception {
        publishAll("before", "poison", "after");
        List<String> delivered = list();
        List<Integer> poisonCounts = list();
        List<Map<String, Object>> dead = list();
        String deadLetters = subject + ".dlq";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("durable=p&maxDeliver=3&delay=20&deadLetterSubject=" + deadLetters)).process(e -> {
                    String body = e.getIn().getBody(String.class);
                    if (body.equals("poison")) {
                        poisonCounts.add(e.getIn().getHeader(MiniToolStreamConstants.DELIVERY_COUNT, Integer.class));
                        throw new IllegalStateException("boom on " + body);
                    }
                    delivered.add(body);
                });
                from("minitoolstream:" + deadLetters + "?durable=dl&delay=20").process(e -> {
                    Map<String, Object> letter = new java.util.HashMap<>(e.getIn().getHeaders());
                    letter.put("body", e.getIn().getBody(String.class));
                    dead.add(letter);
                });
            }
        });
        await("the message after the poison", 15_000, () -> delivered.contains("after"));
        await("the dead letter", 10_000, () -> dead.size() == 1);
        assertThat(snapshot(delivered)).containsExactly("before", "after");
        assertThat(snapshot(poisonCounts)).containsExactly(1, 2, 3);
        Map<String, Object> letter = dead.get(0);
        assertThat(letter.get("body")).isEqualTo("poison");
        assertThat(String.valueOf(letter.get(MiniToolStreamConstants.DEAD_LETTER_REASON)))
                .contains("3 deliveries").contains("boom on poison");
        assertThat(letter.get(MiniToolStreamConstants.DEAD_LETTER_SUBJECT)).isEqualTo(subject);
    }

    @Test
    void theDeliveryCountIsStoredSoARestartedContextContinuesIt() throws Exception {
        publishAll("always-fails");
        List<Integer> counts = list();
        RouteBuilder failing = new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("durable=restart&delay=20")).process(e -> {
                    counts.add(e.getIn().getHeader(MiniToolStreamConstants.DELIVERY_COUNT, Integer.class));
                    throw new IllegalStateException("fails every time");
                });
            }
        };
        CamelContext first = newContext(failing);
        await("two deliveries", 10_000, () -> counts.size() >= 2);
        first.stop();
        int before = counts.size();
        newContext(failing);
        await("a delivery in the new context", 10_000, () -> counts.size() > before);
        assertThat(counts.get(before)).as("the count goes on where the stopped context left it")
                .isEqualTo(counts.get(before - 1) + 1);
    }

    @Test
    void redeliveriesWaitTheirBackoffAndTheLastValueRepeats() throws Exception {
        publishAll("fails");
        List<Long> deliveredAt = list();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("durable=b&delay=10&redeliveryBackoff=300ms,800ms")).process(e -> {
                    deliveredAt.add(System.nanoTime());
                    throw new IllegalStateException("again");
                });
            }
        });
        await("four deliveries", 15_000, () -> deliveredAt.size() >= 4);
        List<Long> at = snapshot(deliveredAt);
        List<Long> gapsMillis = new ArrayList<>();
        for (int i = 1; i < 4; i++) {
            gapsMillis.add((at.get(i) - at.get(i - 1)) / 1_000_000);
        }
        assertThat(gapsMillis.get(0)).as("first redelivery").isGreaterThanOrEqualTo(300);
        assertThat(gapsMillis.get(1)).as("second redelivery").isGreaterThanOrEqualTo(800);
        assertThat(gapsMillis.get(2)).as("the last value repeats").isGreaterThanOrEqualTo(800);
    }

    @Test
    void aConsumerThatLostItsDurableCannotMoveThePositionAndTheRefusalIsCounted() throws Exception {
        publishAll("slow-one", "next");
        AtomicInteger processedNext = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("durable=fenced&ackWait=" + ACK_WAIT + "&delay=20")).routeId("fenced").process(e -> {
                    started.incrementAndGet();
                    if (e.getIn().getBody(String.class).equals("slow-one")) {
                        Thread.sleep(2 * ACK_WAIT);
                    } else {
                        processedNext.incrementAndGet();
                    }
                });
            }
        });
        await("the slow message in process", 10_000, () -> started.get() == 1);
        // Another consumer takes the durable over, as if this one had been partitioned away.
        services.tarantool().adminEval("box.space.ordered_owners:replace({'fenced', '" + subject
                                       + "', 'thief', require('fiber').time() + 60})");
        StreamConsumer consumer = (StreamConsumer) context.getRoute("fenced").getConsumer();
        await("the refused acknowledgement", 10_000, () -> consumer.getRefusedAcknowledgements() >= 1);
        Thread.sleep(ACK_WAIT);
        assertThat(template.requestBody(uri("operation=getConsumerPosition&durable=fenced"), null, Long.class))
                .as("the position did not move").isZero();
        assertThat(processedNext.get()).as("nothing after the refusal was delivered").isZero();
    }
}
