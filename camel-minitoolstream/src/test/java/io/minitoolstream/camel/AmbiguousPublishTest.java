package io.minitoolstream.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.minitoolstream.camel.store.StoreInvalidArgumentException;
import io.minitoolstream.camel.store.StreamStoreException;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, scenario 4: a publish whose insert times out may still commit, so its payload object must stay; only a
 * definite refusal deletes it.
 */
class AmbiguousPublishTest extends ComponentTestSupport {

    private static final int PUBLISHES = 3;

    @Test
    void publishesThatTimeOutWhileTarantoolIsPausedKeepTheirPayloads() throws Exception {
        String publishUri = uri("inlineThreshold=0&requestTimeout=400");
        template.requestBody(uri("operation=getLastSequence&inlineThreshold=0&requestTimeout=400"), null, Long.class); // connect first
        List<CompletableFuture<Exchange>> publishes = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        services.tarantool().suspend();
        try {
            for (int i = 0; i < PUBLISHES; i++) {
                String body = "payload " + i + " " + "x".repeat(100);
                bodies.add(body);
                publishes.add(template.asyncSend(publishUri, e -> e.getIn().setBody(body.getBytes())));
            }
            for (CompletableFuture<Exchange> publish : publishes) {
                Exception failure = publish.get().getException();
                assertThat(failure).as("a publish while Tarantool is paused times out")
                        .isInstanceOf(StreamStoreException.class);
            }
            Thread.sleep(1500 - 400);
        } finally {
            services.tarantool().resume();
        }

        // The inserts the paused server held commit now: each committed record must have its payload.
        await("the held inserts to commit", 10_000, () -> peek().size() >= PUBLISHES);
        for (MiniToolStreamMessage record : peek()) {
            assertThat(objectExists(record.getObjectName())).as("payload object of committed record "
                    + record.getSequence()).isTrue();
        }
        List<Delivery> received = syncList();
        CamelContextScope consumer = new CamelContextScope(newContext(recordingRoute(uri("durable=reader"), received)));
        try (consumer) {
            await("the committed records", 10_000, () -> received.size() >= PUBLISHES);
            Thread.sleep(300); // nothing more arrives than was published
            assertThat(snapshot(received)).hasSize(PUBLISHES);
            for (Delivery delivery : snapshot(received)) {
                assertThat(objectExists(delivery.objectName())).as(delivery.objectName()).isTrue();
                assertThat(delivery.length()).as("payload of " + delivery.sequence()).isEqualTo(110); // "payload N " + 100 x
            }
            List<String> hashes = new ArrayList<>();
            for (String body : bodies) {
                hashes.add(sha256(body.getBytes()));
            }
            assertThat(snapshot(received)).extracting(Delivery::sha256).containsExactlyInAnyOrderElementsOf(hashes);
        }
    }

    @Test
    void aDefiniteRefusalStillDeletesTheUploadedObject() {
        // A content type Tarantool refuses (over 255 bytes) is only checked there, after the upload.
        Exchange result = template.request(uri("inlineThreshold=0"), e -> {
            e.getIn().setBody("refused".getBytes());
            e.getIn().setHeader(Exchange.CONTENT_TYPE, "text/" + "x".repeat(300));
        });
        assertThat(result.getException()).isInstanceOf(StoreInvalidArgumentException.class)
                .hasMessageContaining("content_type");
        assertThat(ObjectCounting.objectsUnder(minio(), subject)).as("objects left under " + subject).isZero();
        publish(uri("inlineThreshold=0"), "accepted".getBytes(), Map.of());
        assertThat(ObjectCounting.objectsUnder(minio(), subject)).isEqualTo(1);
    }

    @SuppressWarnings("unchecked")
    private List<MiniToolStreamMessage> peek() {
        return template.requestBody(uri("operation=peek&durable=check"), null, List.class);
    }

    /** Stops a second CamelContext at the end of a try block. */
    private record CamelContextScope(org.apache.camel.CamelContext camel) implements AutoCloseable {
        @Override
        public void close() {
            camel.stop();
        }
    }
}
