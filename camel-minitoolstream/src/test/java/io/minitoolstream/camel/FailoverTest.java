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
 */
class FailoverTest extends ComponentTestSupport {

    @ParameterizedTest(name = "sync={0}")
    @ValueSource(booleans = { true, false })
    void publishingFollowsAFailoverToThePromotedReplica(boolean sync) throws Exception {
        try (TarantoolReplicaSet replicaSet = TarantoolReplicaSet.builder().sync(sync).build().start()) {
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
            try {
                Map<Long, String> acknowledged = new ConcurrentHashMap<>();
                AtomicInteger failures = new AtomicInteger();
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicLong lastSuccessAt = new AtomicLong();
                AtomicLong firstSuccessAfterKill = new AtomicLong();
                AtomicLong killedAt = new AtomicLong();
                Thread publisher = new Thread(() -> {
                    for (int n = 0; running.get(); n++) {
                        String id = "m" + n;
                        Exchange result = producer.request(uri(""), e -> {
                            e.getIn().setBody(id.getBytes());
                            e.getIn().setHeader("id", id);
                        });
                        if (result.getException() == null) {
                            acknowledged.put(result.getIn().getHeader(MiniToolStreamConstants.SEQUENCE, Long.class), id);
                            long now = System.currentTimeMillis();
                            lastSuccessAt.set(now);
                            if (killedAt.get() > 0) {
                                firstSuccessAfterKill.compareAndSet(0, now);
                            }
                        } else {
                            failures.incrementAndGet();
                        }
                    }
                });
                publisher.start();
                await("publishes before the failover", 20_000, () -> acknowledged.size() >= 300);

                killedAt.set(System.currentTimeMillis());
                replicaSet.killMaster();
                replicaSet.promoteReplica();
                await("publishing to resume", 10_000, () -> firstSuccessAfterKill.get() > 0);
                await("more publishes after the failover", 10_000,
                        () -> lastSuccessAt.get() > firstSuccessAfterKill.get() + 200);
                running.set(false);
                publisher.join(10_000);

                long resumedAfter = firstSuccessAfterKill.get() - killedAt.get();
                Map<Long, String> stored = readAll(producer);
                long lost = acknowledged.entrySet().stream()
                        .filter(e -> !e.getValue().equals(stored.get(e.getKey()))).count();
                System.out.printf("failover sync=%s: resumed %d ms after the kill; %d acknowledged, %d lost,"
                                  + " %d failed publishes%n", sync, resumedAfter, acknowledged.size(), lost,
                        failures.get());
                assertThat(resumedAfter).as("publishing resumes within 5 s").isLessThan(5000);
                if (sync) {
                    assertThat(lost).as("synchronous replication loses no acknowledged publish").isZero();
                }
            } finally {
                camel.stop();
            }
        }
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
