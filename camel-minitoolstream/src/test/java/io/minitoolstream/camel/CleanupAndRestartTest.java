package io.minitoolstream.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CleanupAndRestartTest extends ComponentTestSupport {

    @Test
    void deleteOldMessagesRemovesOldRowsAndTheirObjectsAndKeepsFreshOnes() throws Exception {
        List<String> oldObjects = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            oldObjects.add(publish(uri("inlineThreshold=0"), ("old" + i).getBytes(), Map.of("age", "old")).getIn()
                    .getHeader(MiniToolStreamConstants.OBJECT_NAME, String.class));
        }
        publish("old inline".getBytes(), Map.of("age", "old"));
        Thread.sleep(2100);
        String freshObject = publish(uri("inlineThreshold=0"), "fresh".getBytes(), Map.of("age", "fresh")).getIn()
                .getHeader(MiniToolStreamConstants.OBJECT_NAME, String.class);
        publish("fresh inline".getBytes(), Map.of("age", "fresh"));

        Long deleted = template.requestBodyAndHeader(uri("operation=deleteOldMessages"), null,
                MiniToolStreamConstants.TTL, 1L, Long.class);

        assertThat(deleted).isEqualTo(4);
        assertThat(oldObjects).allSatisfy(name -> assertThat(objectExists(name)).as(name).isFalse());
        assertThat(objectExists(freshObject)).isTrue();
        @SuppressWarnings("unchecked")
        List<MiniToolStreamMessage> left = template.requestBody(uri("operation=peek&durable=c"), null, List.class);
        assertThat(left).extracting(m -> m.getHeaders().get("age")).containsExactly("fresh", "fresh");
    }

    @Test
    void aLongTtlKeepsEverything() {
        publish("young".getBytes(), Map.of());
        Exchange result = template.request(uri("operation=deleteOldMessages&ttl=1h"), e -> { });
        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(Long.class)).isZero();
    }

    @Test
    void aTarantoolRestartLosesNothing() throws Exception {
        for (int n = 1; n <= 5; n++) {
            publish(uri("inlineThreshold=" + (n % 2 == 0 ? 0 : 1024)), ("before" + n).getBytes(), Map.of("n", n));
        }
        List<Delivery> deliveries = syncList();
        PollCounter polls = PollCounter.boundIn(context, "polls");
        context.addRoutes(recordingRoute(uri("durable=r&delay=50&pollStrategy=#polls"), deliveries));
        await("messages before the restart", 10_000, () -> deliveries.size() == 5);

        services.tarantool().restart();

        for (int n = 6; n <= 10; n++) {
            publishEventually(("after" + n).getBytes(), Map.of("n", n));
        }
        await("messages after the restart", 30_000, () -> deliveries.size() >= 10);
        polls.awaitTwoPolls(); // a message delivered twice would have come by now
        assertThat(snapshot(deliveries)).extracting(d -> d.headers().get("n"))
                .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
    }

    /** The client reconnects on its own; the first calls after a restart may still fail while it does. */
    private void publishEventually(byte[] body, Map<String, Object> headers) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            Exchange result = template.request(uri(""), e -> {
                e.getIn().setBody(body);
                e.getIn().setHeaders(new java.util.HashMap<>(headers));
            });
            if (result.getException() == null) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("publishing did not recover after the restart", result.getException());
            }
            Thread.sleep(200);
        }
    }
}
