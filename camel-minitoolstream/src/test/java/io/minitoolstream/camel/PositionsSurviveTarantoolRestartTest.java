package io.minitoolstream.camel;

import java.util.List;

import io.minitoolstream.devservices.TarantoolServer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A durable's position lives in Tarantool, not in the consumer: after Tarantool restarts on its data directory, a
 * new CamelContext on the same durable receives exactly the messages the old one had not completed. The other
 * restart tests keep one consumer alive across the restart, which would hide a position kept only in memory
 * (a {@code temporary} consumers space). A dedicated Tarantool, so restarting it disturbs no other test.
 */
class PositionsSurviveTarantoolRestartTest extends ComponentTestSupport {

    private TarantoolServer tarantool;
    private CamelContext first;
    private CamelContext second;

    @BeforeEach
    void startDedicatedTarantool() {
        tarantool = TarantoolServer.builder().memtxMemory(64L * 1024 * 1024).build().start();
    }

    @AfterEach
    void closeEverything() {
        try {
            stopQuietly(first);
            stopQuietly(second);
        } finally {
            tarantool.close();
        }
    }

    @ParameterizedTest(name = "crash={0}")
    @ValueSource(booleans = { false, true })
    void aNewContextOnTheSameDurableReceivesExactlyTheRestAfterTarantoolRestarts(boolean crash) throws Exception {
        String durable = "durable=survivor&delay=50";
        first = dedicatedContext();
        ProducerTemplate producer = first.createProducerTemplate();
        for (int n = 1; n <= 4; n++) {
            publishTo(producer, n);
        }
        List<Delivery> before = syncList();
        first.addRoutes(recordingRoute(uri(durable), before));
        await("the first four", 10_000, () -> before.size() == 4);
        long fourth = before.get(3).sequence();
        await("the position at the fourth message", 10_000, () -> producer.requestBody(
                uri("operation=getConsumerPosition&durable=survivor"), null, Long.class) == fourth);
        first.stop();
        // Published while no consumer runs: the store must keep them and the position across the restart.
        ProducerTemplate publisher = (first = dedicatedContext()).createProducerTemplate();
        for (int n = 5; n <= 10; n++) {
            publishTo(publisher, n);
        }
        first.stop();

        if (crash) {
            tarantool.kill();
            tarantool.start();
        } else {
            tarantool.restart();
        }

        second = dedicatedContext();
        assertThat(second.createProducerTemplate().requestBody(
                uri("operation=getConsumerPosition&durable=survivor"), null, Long.class))
                .as("the durable's position after the restart").isEqualTo(fourth);
        List<Delivery> after = syncList();
        second.addRoutes(recordingRoute(uri(durable), after));
        await("the rest", 20_000, () -> after.size() >= 6);
        // A marker published after the rest: once it arrives the consumer has polled past everything before it.
        publishTo(second.createProducerTemplate(), 11);
        await("the marker", 20_000, () -> snapshot(after).stream().anyMatch(d -> "11".equals(d.headers().get("n"))));
        assertThat(snapshot(after)).extracting(d -> d.headers().get("n"))
                .containsExactly("5", "6", "7", "8", "9", "10", "11");
        assertThat(snapshot(after)).extracting(Delivery::deliveryCount).containsOnly(1);
    }

    /** Every other message goes to object storage, so both kinds of record cross the restart. */
    private void publishTo(ProducerTemplate producer, int n) {
        Exchange result = producer.request(uri("inlineThreshold=" + (n % 2 == 0 ? 0 : 1024)), e -> {
            e.getIn().setBody(("message " + n).getBytes());
            e.getIn().setHeader("n", n);
        });
        if (result.getException() != null) {
            throw new AssertionError("publish " + n + " failed", result.getException());
        }
    }

    private CamelContext dedicatedContext() {
        MiniToolStreamComponent component = configuredComponent();
        component.getConfiguration().setAddresses(tarantool.address());
        component.getConfiguration().setUsername(tarantool.username());
        component.getConfiguration().setPassword(tarantool.password());
        CamelContext camel = new DefaultCamelContext();
        camel.addComponent("minitoolstream", component);
        camel.start();
        return camel;
    }

    private static void stopQuietly(CamelContext camel) {
        if (camel != null) {
            camel.stop();
        }
    }
}
