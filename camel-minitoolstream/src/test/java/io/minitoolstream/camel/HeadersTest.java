package io.minitoolstream.camel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeadersTest extends ComponentTestSupport {

    @Test
    void utf8AndManyHeadersRoundTripWhileCamelHeadersStayBehind() throws Exception {
        Map<String, Object> headers = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            headers.put("key-" + i, "value-" + i);
        }
        headers.put("ключ", "значение ☃ 世界");
        headers.put("count", 42);
        headers.put("flag", true);
        headers.put("CamelSomethingInternal", "not stored");
        headers.put("notScalar", new Object());

        publish(new byte[] { 1, 2, 3 }, headers);

        List<Delivery> deliveries = syncList();
        context.addRoutes(recordingRoute(uri("durable=h"), deliveries));
        await("the message", 10_000, () -> deliveries.size() == 1);
        Map<String, Object> received = deliveries.get(0).headers();
        for (int i = 0; i < 200; i++) {
            assertThat(received).containsEntry("key-" + i, "value-" + i);
        }
        assertThat(received).containsEntry("ключ", "значение ☃ 世界")
                .containsEntry("count", "42")
                .containsEntry("flag", "true")
                .doesNotContainKey("CamelSomethingInternal")
                .doesNotContainKey("notScalar")
                .containsEntry(MiniToolStreamConstants.SUBJECT, subject)
                .containsEntry(MiniToolStreamConstants.DELIVERY_COUNT, 1)
                .containsKey(MiniToolStreamConstants.TIMESTAMP);
        long timestamp = (Long) received.get(MiniToolStreamConstants.TIMESTAMP);
        assertThat(timestamp).isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis() + 1000);
    }
}
