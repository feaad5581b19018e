package io.minitoolstream.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crashes and outages of the real servers (issue 6, R1-R3): what returned a sequence is never lost, what failed
 * says so, nothing is acknowledged that was not completed, and everything recovers without a restart.
 */
class FaultToleranceTest extends ComponentTestSupport {

    /** Short timeouts so calls to a dead server fail fast instead of waiting out the defaults. */
    private static final String FAST_FAIL = "requestTimeout=2000&connectTimeout=1000";

    @AfterEach
    void serversBackUp() {
        services.tarantool().start();
        services.s3().start();
    }

    @Test
    void killingTarantoolMidPublishLosesNoAcknowledgedMessage() throws Exception {
        int senders = 8;
        int perSender = 1250;
        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger successes = new AtomicInteger();
        List<Delivery> consumed = syncList();
        context.addRoutes(recordingRoute(uri("durable=r1&delay=20&" + FAST_FAIL), consumed));

        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<Future<?>> running = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            running.add(pool.submit(() -> {
                for (int n = 0; n < perSender; n++) {
                    String id = sender + "-" + n;
                    Exchange result = template.request(uri(FAST_FAIL), e -> {
                        e.getIn().setBody(id.getBytes());
                        e.getIn().setHeader("id", id);
                    });
                    if (result.getException() != null) {
                        failures.incrementAndGet();
                    } else {
                        Long sequence = result.getIn().getHeader(MiniToolStreamConstants.SEQUENCE, Long.class);
                        assertThat(acknowledged.put(sequence, id)).as("sequence %d used twice", sequence).isNull();
                        successes.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        await("a third of the publishes", 60_000, () -> successes.get() >= senders * perSender / 3);
        int beforeKill = successes.get();
        services.tarantool().kill();
        Thread.sleep(500);
        services.tarantool().start();
        for (Future<?> f : running) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(successes.get() + failures.get()).isEqualTo(senders * perSender);
        assertThat(successes.get()).as("publishing resumed after the restart").isGreaterThan(beforeKill);
        Map<Long, String> stored = readAll();
        acknowledged.forEach((sequence, id) ->
                assertThat(stored.get(sequence)).as("acknowledged sequence %d", sequence).isEqualTo(id));

        // the durable consumer resumes from its stored position and, in the end, has seen every stored message
        await("the consumer to catch up", 60_000,
                () -> snapshot(consumed).stream().map(Delivery::sequence).distinct().count() >= stored.size());
        List<Long> order = snapshot(consumed).stream().map(Delivery::sequence).toList();
        // at least once, in order: a message whose ack was lost comes again, but delivery never goes backwards
        assertThat(order).isSorted();
        assertThat(Set.copyOf(order)).containsAll(stored.keySet());
        System.out.printf("R1: %d publishes acknowledged, %d failed with an exception, %d stored, %d deliveries"
                          + " (%d redelivered)%n", successes.get(), failures.get(), stored.size(), order.size(),
                order.size() - Set.copyOf(order).size());
    }

    /** Every record of the subject, sequence -> id header, read in pages through the peek operation. */
    private Map<Long, String> readAll() {
        Map<Long, String> all = new java.util.TreeMap<>();
        String durable = "reader-" + System.nanoTime();
        while (true) {
            @SuppressWarnings("unchecked")
            List<MiniToolStreamMessage> page = template.requestBodyAndHeader(
                    uri("operation=fetch&durable=" + durable), null, MiniToolStreamConstants.AUTO_ACK, true, List.class);
            if (page.isEmpty()) {
                return all;
            }
            page.forEach(m -> all.put(m.getSequence(), m.getHeaders().get("id")));
        }
    }

    @Test
    void aContextStoppedMidBatchRedeliversEverythingNotCompletedInOrder() throws Exception {
        for (int n = 1; n <= 30; n++) {
            publish(new byte[] { (byte) n }, Map.of("n", n));
        }
        List<Delivery> first = syncList();
        CamelContext crashing = newContext(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("durable=r2&delay=20")).process(exchange -> {
                    first.add(record(exchange));
                    Thread.sleep(30);
                });
            }
        });
        await("some messages", 10_000, () -> first.size() >= 8);
        crashing.getShutdownStrategy().setTimeout(1);
        crashing.stop();

        List<Delivery> second = syncList();
        CamelContext resumed = newContext(recordingRoute(uri("durable=r2&delay=20"), second));
        try {
            await("the rest", 10_000,
                    () -> snapshot(second).stream().anyMatch(d -> "30".equals(d.headers().get("n"))));
            List<Integer> firstNs = snapshot(first).stream().map(d -> Integer.valueOf((String) d.headers().get("n"))).toList();
            List<Integer> secondNs = snapshot(second).stream().map(d -> Integer.valueOf((String) d.headers().get("n"))).toList();
            assertThat(firstNs).isSorted();
            assertThat(secondNs).isSorted();
            // nothing skipped: the second run starts at or before the first run's last message
            assertThat(secondNs.get(0)).isLessThanOrEqualTo(firstNs.get(firstNs.size() - 1) + 1);
            Set<Integer> union = new java.util.TreeSet<>(firstNs);
            union.addAll(secondNs);
            assertThat(union).hasSize(30);
        } finally {
            resumed.stop();
        }
    }

    @Test
    void anObjectStoreOutageFailsPublishesWithoutRecordsAndPausesConsumersWithoutAcks() throws Exception {
        String s3Path = "inlineThreshold=0&" + FAST_FAIL;
        publish(uri(s3Path), "before".getBytes(), Map.of("n", "1"));
        services.s3().stop();
        try {
            Exchange failed = template.request(uri(s3Path), e -> e.getIn().setBody("during".getBytes()));
            assertThat(failed.getException()).isNotNull();
            List<Delivery> consumed = syncList();
            PollCounter polls = PollCounter.boundIn(context, "polls");
            context.addRoutes(recordingRoute(uri("durable=r3&delay=50&pollStrategy=#polls"), consumed));
            polls.awaitTwoPolls(); // the consumer has tried to open the payload
            assertThat(consumed).isEmpty();
            assertThat(template.requestBody(uri("operation=getConsumerPosition&durable=r3"), null, Long.class))
                    .isZero();
            @SuppressWarnings("unchecked")
            List<MiniToolStreamMessage> records = template.requestBody(uri("operation=peek&durable=none"), null,
                    List.class);
            assertThat(records).as("no record without its payload").hasSize(1);

            services.s3().start();
            await("delivery after the object store is back", 10_000, () -> consumed.size() == 1);
            assertThat(consumed.get(0).headers()).containsEntry("n", "1");
        } finally {
            services.s3().start();
        }
    }

    @Test
    void routesStartWithTarantoolDownAndRecoverWhenItReturns() throws Exception {
        services.tarantool().stop();
        List<Delivery> consumed = syncList();
        CamelContext early;
        try {
            early = newContext(recordingRoute(uri("durable=r3b&delay=100&" + FAST_FAIL), consumed));
            Exchange failed = early.createProducerTemplate().request(uri(FAST_FAIL), e -> e.getIn().setBody("x"));
            assertThat(failed.getException()).isNotNull().hasMessageContaining(services.tarantool().address());
        } finally {
            services.tarantool().start();
        }
        try {
            long deadline = System.currentTimeMillis() + 20_000;
            Exchange published;
            do {
                published = early.createProducerTemplate().request(uri(FAST_FAIL), e -> e.getIn().setBody("y"));
            } while (published.getException() != null && System.currentTimeMillis() < deadline);
            assertThat(published.getException()).isNull();
            await("the consumer to recover", 20_000, () -> consumed.size() == 1);
        } finally {
            early.stop();
        }
    }
}
