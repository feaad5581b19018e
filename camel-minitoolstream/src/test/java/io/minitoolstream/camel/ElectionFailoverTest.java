package io.minitoolstream.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.minitoolstream.devservices.TarantoolReplicaSet;
import io.minitoolstream.devservices.TarantoolServer;
import io.minitoolstream.devservices.TarantoolVersion;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * Automatic failover (issue 13): three Tarantools electing their leader with Raft ({@code MTS_ELECTION}), the
 * component given all three addresses, 8 senders publishing and a durable consumer reading. The leader is killed
 * (SIGKILL), or frozen (SIGSTOP) for longer than the election timeout and then let go. Checked each time: a new
 * leader is elected, publishing resumes within 5 s without restarting anything, no acknowledged publish is lost,
 * no sequence is given to two publishes, the consumer goes on in order, and the old leader comes back as a
 * follower. Needs Tarantool 2.10+ ({@code MTS_TARANTOOL}); skipped, saying so, on older versions.
 *
 * <p>{@code -Dmts.election.rounds=N} repeats the kill N times on one replica set (default 1) and prints each
 * round's numbers.
 */
class ElectionFailoverTest extends ComponentTestSupport {

    private static final TarantoolVersion VERSION = TarantoolVersion.installed();
    private static final int SENDERS = 8;
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(1);
    private static final long RESUME_LIMIT_MILLIS = 5_000;

    @Test
    void killingTheLeaderElectsAnotherAndLosesNoAcknowledgedPublish() throws Exception {
        assumeTrue(VERSION.hasElections(), VERSION.lacks("leader election"));
        int rounds = Integer.getInteger("mts.election.rounds", 1);
        try (TarantoolReplicaSet set = electionSet(); Traffic traffic = new Traffic(set)) {
            List<String> report = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                traffic.awaitAcknowledged(200);
                TarantoolServer leader = set.leader();
                long killedAt = System.nanoTime();
                leader.kill();
                // Only publishes started once the leader is dead count for the resume time (still from the kill).
                traffic.markFault(System.nanoTime());
                TarantoolServer next = set.awaitLeader(Duration.ofSeconds(10), leader);
                long electedMillis = millisSince(killedAt);
                traffic.awaitResumed(10_000);
                long resumedMillis = (traffic.firstSuccessAfterFault.get() - killedAt) / 1_000_000;
                traffic.awaitAcknowledgedAfterFault(100);

                leader.start(); // same data dir and port: rejoins
                assertThat(leader.adminEval("return box.info.ro")).as("the old leader rejoins as a follower")
                        .contains("- true");
                if (round == 1) {
                    traffic.awaitConsumedBeyond(traffic.highestAcknowledgedBefore(killedAt));
                }
                Check check = traffic.check(set);
                String line = String.format("round %d: leader %s killed; %s elected in %d ms; publishing resumed"
                                + " in %d ms; %d acknowledged so far, %d lost, %d sequences reused, %d failed"
                                + " publishes, consumer in order: %s", round, leader.address(), next.address(),
                        electedMillis, resumedMillis, check.acknowledged, check.lost, check.reused,
                        traffic.failures.get(), check.consumerInOrder);
                report.add(line);
                System.out.println("ELECTION " + line);
                assertThat(resumedMillis).as("publishing resumes within 5 s of the kill")
                        .isLessThan(RESUME_LIMIT_MILLIS);
                assertThat(check.lost).as("no acknowledged publish lost").isZero();
                assertThat(check.reused).as("no sequence given to two publishes").isZero();
                assertThat(check.consumerInOrder).as("the durable consumer goes on in order").isTrue();
            }
            traffic.stop();
            traffic.awaitConsumed();
            System.out.println("ELECTION consumer: " + traffic.consumedSummary());
            assertThat(report).hasSize(rounds);
        }
    }

    @Test
    void aFrozenLeaderNeverAcknowledgesWhatTheNewLeaderDoesNotHave() throws Exception {
        assumeTrue(VERSION.hasElections(), VERSION.lacks("leader election"));
        try (TarantoolReplicaSet set = electionSet(); Traffic traffic = new Traffic(set)) {
            traffic.awaitAcknowledged(200);
            TarantoolServer leader = set.leader();
            long frozenAt = System.nanoTime();
            leader.suspend();
            traffic.markFault(System.nanoTime());
            TarantoolServer next = set.awaitLeader(Duration.ofSeconds(10), leader);
            long electedMillis = millisSince(frozenAt);
            traffic.awaitAcknowledgedAfterFault(100);
            // Frozen for well over the election timeout, then let go: it still believes it leads until it
            // hears the new term, and senders' requests queued on its socket reach it now.
            Thread.sleep(Math.max(0, 3 * ELECTION_TIMEOUT.toMillis() - millisSince(frozenAt)));
            leader.resume();
            long resumedAt = System.nanoTime();
            awaitFollower(leader, 10_000);
            long steppedDownMillis = millisSince(resumedAt);
            traffic.awaitAcknowledgedAfterFault(traffic.acknowledged.size() + 100 - traffic.acknowledgedAtFault);
            Check check = traffic.check(set);
            traffic.stop();
            traffic.awaitConsumed();
            System.out.printf("ELECTION freeze: leader %s frozen; %s elected in %d ms; old leader a follower %d ms"
                            + " after SIGCONT; resumed in %d ms; %d acknowledged, %d lost, %d sequences reused,"
                            + " %d failed publishes%n", leader.address(), next.address(), electedMillis,
                    steppedDownMillis, (traffic.firstSuccessAfterFault.get() - frozenAt) / 1_000_000,
                    check.acknowledged, check.lost, check.reused, traffic.failures.get());
            assertThat(set.leader()).as("one leader, the new one").isSameAs(next);
            assertThat(check.lost).as("nothing acknowledged is missing on the new leader: no split brain").isZero();
            assertThat(check.reused).as("no sequence given to two publishes").isZero();
            assertThat(check.consumerInOrder).isTrue();
        }
    }

    private static TarantoolReplicaSet electionSet() {
        return TarantoolReplicaSet.builder().members(3).election(true).electionTimeout(ELECTION_TIMEOUT).build()
                .start();
    }

    private static void awaitFollower(TarantoolServer server, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!server.adminEval("return box.info.ro and box.info.election.state == 'follower'").contains("- true")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(server.address() + " did not become a follower within " + timeoutMillis
                        + " ms: " + server.adminEval("return box.info.election"));
            }
            Thread.sleep(20);
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** What {@link Traffic#check} found. */
    private record Check(int acknowledged, long lost, long reused, boolean consumerInOrder) {
    }

    /**
     * Eight senders publishing {@code "<sender>-<n>"} ids and one durable consumer, through a component given all
     * three addresses. Records every acknowledged sequence and when each publish started.
     */
    private final class Traffic implements AutoCloseable {

        final CamelContext camel;
        final ProducerTemplate producer;
        // greedy: poll again at once after a full batch, so the consumer keeps up with 8 senders (with the default
        // 500 ms between polls it delivers at most 200 messages a second).
        final String consumed = "minitoolstream:" + subject + "?durable=reader&greedy=true";
        final Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        final Map<Long, Long> acknowledgedAt = new ConcurrentHashMap<>();
        final AtomicInteger reusedOnAck = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicReference<String> lastFailure =
                new java.util.concurrent.atomic.AtomicReference<>("none");
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong faultAt = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong firstSuccessAfterFault = new AtomicLong();
        final AtomicInteger acknowledgedAfterFault = new AtomicInteger();
        volatile int acknowledgedAtFault;
        final List<Long> deliveries = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Thread> senders = new ArrayList<>();

        Traffic(TarantoolReplicaSet set) throws Exception {
            MiniToolStreamComponent component = configuredComponent();
            component.getConfiguration().setAddresses(set.addresses());
            component.getConfiguration().setUsername(set.username());
            component.getConfiguration().setPassword(set.password());
            component.getConfiguration().setRequestTimeout(2000);
            component.getConfiguration().setConnectTimeout(1000);
            camel = new DefaultCamelContext();
            camel.addComponent("minitoolstream", component);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(consumed).process(e -> deliveries.add(
                            e.getIn().getHeader(MiniToolStreamConstants.SEQUENCE, Long.class)));
                }
            });
            camel.start();
            producer = camel.createProducerTemplate();
            for (int s = 0; s < SENDERS; s++) {
                String sender = "s" + s;
                Thread thread = new Thread(() -> send(sender), "election-sender-" + s);
                thread.setDaemon(true);
                senders.add(thread);
                thread.start();
            }
        }

        private void send(String sender) {
            for (int n = 0; running.get(); n++) {
                String id = sender + "-" + n;
                long startedAt = System.nanoTime();
                Exchange result = producer.request("minitoolstream:" + subject, e -> {
                    e.getIn().setBody(id.getBytes());
                    e.getIn().setHeader("id", id);
                });
                if (result.getException() != null) {
                    failures.incrementAndGet();
                    lastFailure.set(result.getException().getMessage());
                    continue;
                }
                long sequence = result.getIn().getHeader(MiniToolStreamConstants.SEQUENCE, Long.class);
                acknowledgedAt.put(sequence, System.nanoTime());
                if (acknowledged.putIfAbsent(sequence, id) != null) {
                    reusedOnAck.incrementAndGet();
                }
                if (startedAt > faultAt.get()) {
                    firstSuccessAfterFault.compareAndSet(0, System.nanoTime());
                    acknowledgedAfterFault.incrementAndGet();
                }
            }
        }

        void markFault(long at) {
            firstSuccessAfterFault.set(0);
            acknowledgedAfterFault.set(0);
            acknowledgedAtFault = acknowledged.size();
            faultAt.set(at);
        }

        void awaitAcknowledged(int more) throws InterruptedException {
            int target = acknowledged.size() + more;
            await(more + " more acknowledged publishes", 30_000, () -> acknowledged.size() >= target);
        }

        void awaitResumed(long millis) throws InterruptedException {
            await("a publish started after the fault to succeed", millis, () -> firstSuccessAfterFault.get() != 0);
        }

        void awaitAcknowledgedAfterFault(int count) throws InterruptedException {
            try {
                await(count + " publishes acknowledged after the fault", 30_000,
                        () -> acknowledgedAfterFault.get() >= count);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " (" + acknowledgedAfterFault.get() + " so far, "
                        + failures.get() + " failed publishes, the last: " + lastFailure.get() + ")", e);
            }
        }

        /** Compares what was acknowledged with what the current leader stores, and the consumer's order. */
        Check check(TarantoolReplicaSet set) throws InterruptedException {
            Map<Long, String> acked = new TreeMap<>(acknowledged);
            Map<Long, String> stored = readAll(set);
            long lost = acked.entrySet().stream().filter(e -> !e.getValue().equals(stored.get(e.getKey()))).count();
            return new Check(acked.size(), lost, reusedOnAck.get(), consumerInOrder());
        }

        /** New sequences only ever go up (a redelivery may repeat an earlier one: at least once). */
        boolean consumerInOrder() {
            long highest = 0;
            java.util.Set<Long> seen = new java.util.HashSet<>();
            synchronized (deliveries) {
                for (long sequence : deliveries) {
                    if (seen.add(sequence)) {
                        if (sequence < highest) {
                            return false;
                        }
                        highest = sequence;
                    }
                }
            }
            return true;
        }

        long highestAcknowledgedBefore(long nanos) {
            return acknowledgedAt.entrySet().stream().filter(e -> e.getValue() < nanos).mapToLong(Map.Entry::getKey)
                    .max().orElse(0);
        }

        /** The durable consumer delivers a message published after the fault: it went on past the failover. */
        void awaitConsumedBeyond(long sequence) throws InterruptedException {
            await("the consumer to deliver beyond " + sequence, 30_000, () -> {
                synchronized (deliveries) {
                    return deliveries.stream().anyMatch(s -> s > sequence);
                }
            });
        }

        /** The durable consumer delivers every acknowledged publish in the end. */
        void awaitConsumed() throws InterruptedException {
            try {
                await("the consumer to deliver every acknowledged publish", 60_000, () -> missed().isEmpty());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + consumedSummary(), e);
            }
        }

        /** How much of what was acknowledged the consumer delivered. */
        String consumedSummary() {
            List<Long> missed = missed();
            return (acknowledged.size() - missed.size()) + " of " + acknowledged.size() + " acknowledged delivered"
                    + (missed.isEmpty() ? "" : ", the first missing " + missed.get(0)) + ", in order: "
                    + consumerInOrder();
        }

        private List<Long> missed() {
            java.util.Set<Long> seen;
            synchronized (deliveries) {
                seen = new java.util.HashSet<>(deliveries);
            }
            return acknowledged.keySet().stream().filter(sequence -> !seen.contains(sequence)).sorted().toList();
        }

        /**
         * Everything on the subject, read from the leader alone: it has every confirmed write (Raft elects only an
         * instance that is not behind a quorum), while a follower may lag.
         */
        private Map<Long, String> readAll(TarantoolReplicaSet set) throws InterruptedException {
            TarantoolServer leader = set.leader();
            MiniToolStreamComponent component = configuredComponent();
            component.getConfiguration().setAddresses(leader.address());
            component.getConfiguration().setUsername(set.username());
            component.getConfiguration().setPassword(set.password());
            CamelContext reader = new DefaultCamelContext();
            reader.addComponent("minitoolstream", component);
            reader.start();
            try {
                ProducerTemplate fetcher = reader.createProducerTemplate();
                Map<Long, String> all = new TreeMap<>();
                String durable = "check" + System.nanoTime();
                while (true) {
                    Exchange page = fetcher.request("minitoolstream:" + subject + "?operation=fetch&durable="
                            + durable, e -> e.getIn().setHeader(MiniToolStreamConstants.AUTO_ACK, true));
                    if (page.getException() != null) {
                        throw new AssertionError("reading back from the leader failed", page.getException());
                    }
                    @SuppressWarnings("unchecked")
                    List<MiniToolStreamMessage> messages = page.getMessage().getBody(List.class);
                    if (messages.isEmpty()) {
                        return all;
                    }
                    messages.forEach(m -> all.put(m.getSequence(), String.valueOf(m.getHeaders().get("id"))));
                }
            } finally {
                reader.stop();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread sender : senders) {
                sender.join(15_000);
            }
        }

        @Override
        public void close() throws Exception {
            stop();
            camel.stop();
        }
    }
}
