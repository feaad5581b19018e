package io.minitoolstream.camel;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.minitoolstream.devservices.GeneratedStream;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Every accepted body type goes in and comes out byte for byte, inline or through object storage. */
class RoundTripTest extends ComponentTestSupport {

    private static final int THRESHOLD = 1024;

    @TempDir
    Path dir;

    @Test
    void everyBodyTypeRoundTripsWithItsBytes() throws Exception {
        byte[] small = "small payload".getBytes(StandardCharsets.UTF_8);
        byte[] exactlyThreshold = new byte[THRESHOLD];
        byte[] overThreshold = new byte[THRESHOLD + 1];
        new java.util.Random(7).nextBytes(exactlyThreshold);
        new java.util.Random(8).nextBytes(overThreshold);
        String text = "grüße, 世界, ☃";
        Path bigFile = dir.resolve("big.bin");
        Files.write(bigFile, overThreshold);
        Path smallFile = dir.resolve("small.bin");
        Files.write(smallFile, small);

        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("empty byte[]", new Object[] { new byte[0], sha256(new byte[0]), true });
        cases.put("small byte[]", new Object[] { small, sha256(small), true });
        cases.put("byte[] at threshold", new Object[] { exactlyThreshold, sha256(exactlyThreshold), true });
        cases.put("byte[] over threshold", new Object[] { overThreshold, sha256(overThreshold), false });
        cases.put("String", new Object[] { text, sha256(text.getBytes(StandardCharsets.UTF_8)), true });
        cases.put("small InputStream", new Object[] { new ByteArrayInputStream(small), sha256(small), true });
        cases.put("large InputStream", new Object[] { new ByteArrayInputStream(overThreshold), sha256(overThreshold),
                false });
        cases.put("File", new Object[] { bigFile.toFile(), sha256(overThreshold), false });
        cases.put("Path", new Object[] { smallFile, sha256(small), true });

        String producerUri = uri("inlineThreshold=" + THRESHOLD);
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            Exchange published = publish(producerUri, c.getValue()[0], Map.of("case", c.getKey()));
            boolean inline = (boolean) c.getValue()[2];
            assertThat(published.getIn().getHeader(MiniToolStreamConstants.SEQUENCE, Long.class))
                    .as(c.getKey()).isPositive();
            String objectName = published.getIn().getHeader(MiniToolStreamConstants.OBJECT_NAME, String.class);
            if (inline) {
                assertThat(objectName).as(c.getKey() + " stays inline").isNull();
            } else {
                assertThat(objectName).as(c.getKey() + " goes to S3").startsWith(subject + "/");
                assertThat(objectExists(objectName)).as(c.getKey() + " object exists").isTrue();
            }
        }

        List<Delivery> deliveries = syncList();
        context.addRoutes(recordingRoute(uri("durable=rt&inlineThreshold=" + THRESHOLD + "&delay=50"), deliveries));
        await("all cases delivered", 20_000, () -> deliveries.size() >= cases.size());

        assertThat(deliveries).hasSize(cases.size());
        int i = 0;
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            Delivery delivery = deliveries.get(i++);
            assertThat(delivery.headers()).as(c.getKey()).containsEntry("case", c.getKey());
            assertThat(delivery.sha256()).as(c.getKey() + " bytes").isEqualTo(c.getValue()[1]);
        }
    }

    @Test
    void fiftyMegabyteStreamOfUnknownLengthIsStreamedThroughObjectStorage() throws Exception {
        long length = 50L * 1024 * 1024;
        String expected = GeneratedStream.sha256Of(length, 42);
        Exchange published = publish(new GeneratedStream(length, 42), Map.of());
        String objectName = published.getIn().getHeader(MiniToolStreamConstants.OBJECT_NAME, String.class);
        assertThat(objectName).isNotNull();
        assertThat(objectExists(objectName)).isTrue();

        List<Delivery> deliveries = syncList();
        context.addRoutes(recordingRoute(uri("durable=big"), deliveries));
        await("the 50 MB message", 60_000, () -> deliveries.size() == 1);
        assertThat(deliveries.get(0).length()).isEqualTo(length);
        assertThat(deliveries.get(0).sha256()).isEqualTo(expected);
        assertThat(deliveries.get(0).headers()).containsEntry(MiniToolStreamConstants.SIZE, length);
    }

    @Test
    void fileConsumerBodiesArePublishedFromTheFile() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        byte[] content = new byte[200_000];
        new java.util.Random(3).nextBytes(content);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("file:" + inbox + "?initialDelay=0&delay=50").to(uri(""));
            }
        });
        Files.write(inbox.resolve("drop.bin"), content);

        List<Delivery> deliveries = syncList();
        context.addRoutes(recordingRoute(uri("durable=files"), deliveries));
        await("the dropped file", 20_000, () -> deliveries.size() == 1);
        assertThat(deliveries.get(0).sha256()).isEqualTo(sha256(content));
        // Camel's own headers describe the exchange, not the message: they are not stored.
        assertThat(deliveries.get(0).headers()).doesNotContainKey(Exchange.FILE_NAME);
    }

    @Test
    void thresholdZeroPutsEveryPayloadInObjectStorage() throws Exception {
        Exchange empty = publish(uri("inlineThreshold=0"), new byte[0], Map.of());
        Exchange oneByte = publish(uri("inlineThreshold=0"), new byte[] { 1 }, Map.of());
        for (Exchange published : List.of(empty, oneByte)) {
            String objectName = published.getIn().getHeader(MiniToolStreamConstants.OBJECT_NAME, String.class);
            assertThat(objectName).isNotNull();
            assertThat(objectExists(objectName)).isTrue();
        }
    }
}
