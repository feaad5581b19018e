package io.minitoolstream.camel;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.minitoolstream.devservices.TarantoolReplicaSet;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A master and a replica, the component given both addresses; the master dies mid-publish and the replica is
 * promoted (issue 7). Publishing resumes within 5 s without restarting anything; with synchronous replication
 * no publish that returned a sequence is lost.
 *
 * <p>Resuming is measured from the kill to the end of the first publish that <em>started</em> after the master was
 * dead and succeeded: a publish in flight at the kill says nothing about failover. Sync and async are told apart
 * by what they do, not by their configuration: with the replica down, a synchronous master acknowledges no
 * publish, an asynchronous one does.
 */
class FailoverTest extends ComponentTestSupport {

    @ParameterizedTest(name = "sync={0}")
    @ValueSource(booleans = { true, false })
    void publishingFollowsAFailoverToThePromotedReplica(boolean sync) throws Exception {
        try (TarantoolReplicaSet replicaSet = TarantoolReplicaSet.builder().sync(sync)
                .syncTimeout(java.time.Duration.ofMillis(1500)).build().start()) {
            MiniToolStreamComponent component = configuredComponent();
            component.getConfiguration().setAddresses(replicaSet.addresses());
            component.getConfiguration().setUsername(replicaSet.username());
            component.getConfiguration().setPassword(replicaSet.password());
            component.getConfiguration().setRequestTimeout(2000);
            component.getConfiguration().setConnectTimeout(1000);
            CamelContext camel = new org.apache.camel.impl.DefaultCamelContext();
            camel.addComponent("minitoolstream", component);
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread publisher = null;
            try {
                assertThat(publishWithTheReplicaDown(replicaSet, producer))
                        .as(sync ? "a synchronous master acknowledges nothing its replica has not"
                                : "an asynchronous master acknowledges without its replica")
                        .isEqualTo(!sync);
                Map<Long, String> acknowledged = new ConcurrentHashMap<>();
                AtomicInteger failures = new AtomicInteger();
                AtomicLong lastSuccessAt = new AtomicLong();
                AtomicLong firstSuccessAfterKill = new AtomicLong();
                AtomicLong killedAt = new AtomicLong();
                publisher = new Thread(() -> {
                    for (int n = 0; running.get(); n++) {
                        String id = "m" + n;
                        boolean startedAfterTheKill = killedAt.get() > 0;
                        Exchange result = producer.request(uri(""), e -> {
                            e.getIn().setBody(id.getBytes());
                            e.getIn().setHeader("id", id);
                        });
                        if (result.getException() == null) {
                            acknowledged.put(result.getIn().getHeader(MiniToolStreamConstants.SEQUENCE, Long.class), id);
                            long now = System.currentTimeMillis();
                            lastSuccessAt.set(now);
                            if (startedAfterTheKill) {
                                firstSuccessAfterKill.compareAndSet(0, now);
                            }
                        } else {
                            failures.incrementAndGet();
                        }
                    }
                });
                publisher.start();
                await("publishes before the failover", 20_000, () -> acknowledged.size() >= 300);

                long killStartedAt = System.currentTimeMillis();
                replicaSet.killMaster();
                // Set once the master is dead: a publish started before this may still have reached it.
                killedAt.set(System.currentTimeMillis());
                replicaSet.promoteReplica();
                await("publishing to resume", 10_000, () -> firstSuccessAfterKill.get() > 0);
                await("more publishes after the failover", 10_000,
                        () -> lastSuccessAt.get() > firstSuccessAfterKill.get() + 200);
                running.set(false);
                publisher.join(10_000);

                long resumedAfter = firstSuccessAfterKill.get() - killStartedAt;
                Map<Long, String> stored = readAll(producer);
                long lost = acknowledged.entrySet().stream()
                        .filter(e -> !e.getValue().equals(stored.get(e.getKey()))).count();
                System.out.printf("failover sync=%s: resumed %d ms after the kill; %d acknowledged, %d lost,"
                                  + " %d failed publishes%n", sync, resumedAfter, acknowledged.size(), lost,
                        failures.get());
                assertThat(resumedAfter).as("publishing resumes within 5 s").isLessThan(5000);
                assertThat(resumedAfter).as("a publish started after the kill waits at least for the promotion")
                        .isPositive();
                if (sync) {
                    assertThat(lost).as("synchronous replication loses no acknowledged publish").isZero();
                }
                // Asynchronous replication may lose the master's last acknowledged publishes: reported above, not
                // asserted (whether it does depends on the replica's lag at the kill).
            } finally {
                running.set(false);
                if (publisher != null) {
                    publisher.join(10_000);
                }
                camel.stop();
            }
        }
    }

    /**
     * Stops the replica, publishes once, starts the replica again and waits until it is back in the set (it has
     * the master's latest write). True when the publish was acknowledged.
     */
    private boolean publishWithTheReplicaDown(TarantoolReplicaSet replicaSet, ProducerTemplate producer)
            throws Exception {
        replicaSet.replica().stop();
        Exchange result;
        try {
            result = producer.request(uri(""), e -> {
                e.getIn().setBody("while the replica is down".getBytes());
                e.getIn().setHeader("id", "probe");
            });
        } finally {
            replicaSet.replica().start();
        }
        // A write acknowledged (or still pending) without the replica must reach it before the failover.
        long last = producer.requestBody(uri("operation=getLastSequence"), null, Long.class);
        if (last > 0) {
            await("the replica to catch up", 20_000, () -> replicaSet.replica()
                    .adminEval("return box.space.message:get(" + last + ") ~= nil").contains("- true"));
        }
        return result.getException() == null;
    }

    private Map<Long, String> readAll(ProducerTemplate producer) {
        Map<Long, String> all = new TreeMap<>();
        String durable = "reader" + System.nanoTime();
        while (true) {
            @SuppressWarnings("unchecked")
            java.util.List<MiniToolStreamMessage> page = producer.requestBodyAndHeader(
                    uri("operation=fetch&durable=" + durable), null, MiniToolStreamConstants.AUTO_ACK, true,
                    java.util.List.class);
            if (page.isEmpty()) {
                return all;
            }
            page.forEach(m -> all.put(m.getSequence(), m.getHeaders().get("id")));
        }
    }
}
