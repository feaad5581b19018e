package io.minitoolstream.camel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Several consumers on one durable (issue 7): competing leases, dead letters, ordered failover. */
class ScaleOutTest extends ComponentTestSupport {

    private void publishMany(int count) throws Exception {
        List<CompletableFuture<Object>> sent = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            sent.add(template.asyncRequestBodyAndHeader(uri(""), ("m" + n).getBytes(), "n", n));
        }
        for (CompletableFuture<Object> f : sent) {
            f.get();
        }
    }

    @Test
    void threeCompetingContextsProcessEveryMessageExactlyOnce() throws Exception {
        int count = 10_000;
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> perContext = new ConcurrentHashMap<>();
        List<CamelContext> contexts = new ArrayList<>();
        PollCounter polls = new PollCounter();
        try {
            for (int c = 0; c < 3; c++) {
                String name = "c" + c;
                CamelContext camel = newContext();
                contexts.add(camel);
                camel.getRegistry().bind("polls", polls);
                camel.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from(uri("durable=workers&consumerMode=competing&maxMessagesPerPoll=50&delay=5&pollStrategy=#polls"
                                 + (name.equals("c2") ? "&concurrentConsumers=4" : "")))
                                .process(e -> {
                                    processed.computeIfAbsent(e.getIn().getHeader("n", String.class),
                                            k -> new AtomicInteger()).incrementAndGet();
                                    perContext.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                                });
                    }
                });
            }
            // every context polls before anything is published, so a slow start (a loaded machine) cannot leave one out
            polls.awaitPolls(3, 1, 30_000);
            publishMany(count);
            await("every message", 120_000, () -> processed.size() == count);
            polls.awaitPolls(3, 2, 10_000); // a message processed twice would have been by now
            assertThat(processed).hasSize(count);
            assertThat(processed.values()).allSatisfy(times -> assertThat(times.get()).isEqualTo(1));
            assertThat(perContext).hasSize(3);
            System.out.println("competing: " + perContext);
            await("the floor at the end", 10_000, () -> template.requestBody(
                    uri("operation=getConsumerPosition&durable=workers"), null, Long.class)
                    .equals(template.requestBody(uri("operation=getLastSequence"), null, Long.class)));
        } finally {
            contexts.forEach(CamelContext::stop);
        }
    }

    /**
     * One consumer processes on its polling thread; with concurrentConsumers > 1 workers process and the poller
     * waits for them in slices of ackWait, so both ways of getting stuck are covered.
     */
    @ParameterizedTest(name = "concurrentConsumers={0}")
    @ValueSource(ints = {1, 3})
    void aStuckConsumerKeepsItsClaimsWhileItRunsAndTheOthersGetThemAfterItStops(int concurrentConsumers)
            throws Exception {
        publishMany(20);
        Set<String> survivors = ConcurrentHashMap.newKeySet();
        AtomicInteger stuck = new AtomicInteger();
        String options = "durable=dies&consumerMode=competing&ackWait=1s&maxMessagesPerPoll=5&delay=20"
                         + "&concurrentConsumers=" + concurrentConsumers;
        CamelContext dying = newContext(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(options)).process(e -> {
                    stuck.incrementAndGet();
                    Thread.sleep(60_000); // hangs holding its claims
                });
            }
        });
        await("the stuck consumer to claim", 10_000, () -> stuck.get() > 0);
        newContext(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(options)).process(e -> survivors.add(e.getIn().getHeader("n", String.class)));
            }
        });
        await("the 15 unclaimed at the survivor", 30_000, () -> survivors.size() == 15);
        Thread.sleep(3_000); // three times ackWait: the lease keeper renews the stuck consumer's claims
        assertThat(survivors).as("claims of a consumer that still runs are kept").hasSize(15);

        long stoppedAt = System.currentTimeMillis();
        dying.getShutdownStrategy().setTimeout(1);
        dying.stop(); // stops renewing, as a dead JVM would
        await("all 20 at the survivor", 30_000, () -> survivors.size() == 20);
        assertThat(System.currentTimeMillis() - stoppedAt).as("the stopped consumer's claims lapsed after ackWait")
                .isGreaterThanOrEqualTo(500);
    }

    @Test
    void aPoisonMessageReachesTheDeadLetterSubjectAfterMaxDeliver() throws Exception {
        publish("poison".getBytes(), Map.of("kind", "poison"));
        publish("fine".getBytes(), Map.of("kind", "fine"));
        AtomicInteger attempts = new AtomicInteger();
        List<Delivery> fine = syncList();
        List<Delivery> dead = syncList();
        String deadLetters = subject + ".dlq";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("durable=p&consumerMode=competing&maxDeliver=3&delay=20&deadLetterSubject=" + deadLetters))
                        .process(e -> {
                            if ("poison".equals(e.getIn().getHeader("kind"))) {
                                attempts.incrementAndGet();
                                throw new IllegalStateException("cannot digest this");
                            }
                            fine.add(record(e));
                        });
            }
        });
        context.addRoutes(recordingRoute("minitoolstream:" + deadLetters + "?durable=d&delay=20", dead));
        await("the dead letter", 20_000, () -> dead.size() == 1);
        assertThat(attempts.get()).isEqualTo(3);
        assertThat(fine).hasSize(1);
        Map<String, Object> headers = dead.get(0).headers();
        assertThat(headers).containsEntry("kind", "poison").containsEntry(MiniToolStreamConstants.DEAD_LETTER_SUBJECT,
                subject);
        assertThat((String) headers.get(MiniToolStreamConstants.DEAD_LETTER_REASON)).contains("cannot digest this");
        assertThat(dead.get(0).sha256()).isEqualTo(sha256("poison".getBytes()));
    }

    @Test
    void orderedModeHasOneActiveConsumerAndFailsOverInOrder() throws Exception {
        for (int n = 1; n <= 10; n++) {
            publish(new byte[] { (byte) n }, Map.of("n", n));
        }
        String options = "durable=ord&delay=20&ackWait=2s";
        List<Delivery> first = syncList();
        List<Delivery> second = syncList();
        CamelContext active = newContext(recordingRoute(uri(options), first));
        CamelContext standby = null;
        try {
            await("the active consumer", 10_000, () -> first.size() == 10);
            standby = newContext();
            PollCounter standbyPolls = PollCounter.boundIn(standby, "polls");
            standby.addRoutes(recordingRoute(uri(options + "&pollStrategy=#polls"), second));
            standbyPolls.awaitTwoPolls(); // polling before 11-15 exist: a standby acting as owner would get them
            for (int n = 11; n <= 15; n++) {
                publish(new byte[] { (byte) n }, Map.of("n", n));
            }
            await("the active consumer gets the new ones", 10_000, () -> first.size() == 15);
            standbyPolls.awaitTwoPolls(); // the standby has looked since messages 11-15 were published
            assertThat(second).as("the standby delivers nothing while the owner is alive").isEmpty();

            active.stop();
            for (int n = 16; n <= 20; n++) {
                publish(new byte[] { (byte) n }, Map.of("n", n));
            }
            await("the standby takes over", 10_000, () -> second.size() == 5);
            List<Long> all = new ArrayList<>(snapshot(first).stream().map(Delivery::sequence).toList());
            all.addAll(snapshot(second).stream().map(Delivery::sequence).toList());
            assertThat(all).isSorted().doesNotHaveDuplicates().hasSize(20);
            assertThat(new HashSet<>(snapshot(second).stream().map(d -> d.headers().get("n")).toList()))
                    .containsExactlyInAnyOrder("16", "17", "18", "19", "20");
        } finally {
            active.stop();
            if (standby != null) {
                standby.stop();
            }
        }
    }
}
