package io.minitoolstream.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.DevServicesExtension;
import io.minitoolstream.grpc.AckRequest;
import io.minitoolstream.grpc.AckResponse;
import io.minitoolstream.grpc.FetchRequest;
import io.minitoolstream.grpc.GetLastSequenceRequest;
import io.minitoolstream.grpc.Message;
import io.minitoolstream.grpc.PublishRequest;
import io.minitoolstream.grpc.PublishResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** Publish, Fetch, AckMessage and GetLastSequence over real gRPC against the running application. */
@ExtendWith(DevServicesExtension.class)
class GrpcRoundTripTest {

    private static RunningApp app;

    @BeforeAll
    static void start(DevServices services) throws Exception {
        app = RunningApp.start(services, Map.of());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void publishFetchAckFetchReturnsTheNextMessage() {
        String subject = RunningApp.subject("orders");
        PublishResponse first = publish(subject, "one", Map.of("kind", "first"));
        PublishResponse second = publish(subject, "two", Map.of());
        assertThat(first.getStatusCode()).isZero();
        assertThat(first.getErrorMessage()).isEmpty();
        assertThat(second.getSequence()).isGreaterThan(first.getSequence());

        List<Message> batch = fetch(subject, "billing", 1);
        assertThat(batch).hasSize(1);
        assertThat(batch.get(0).getSequence()).isEqualTo(first.getSequence());
        assertThat(batch.get(0).getData().toStringUtf8()).isEqualTo("one");
        assertThat(batch.get(0).getHeadersMap()).containsEntry("kind", "first");
        assertThat(batch.get(0).getSubject()).isEqualTo(subject);
        assertThat(batch.get(0).getTimestamp().getSeconds()).isPositive();

        // Fetch does not move the position: the same batch comes again.
        assertThat(fetch(subject, "billing", 1)).extracting(Message::getSequence)
                .containsExactly(first.getSequence());

        AckResponse ack = app.egress().ackMessage(AckRequest.newBuilder().setDurableName("billing")
                .setSubject(subject).setSequence(first.getSequence()).build());
        assertThat(ack.getSuccess()).isTrue();
        assertThat(ack.getErrorMessage()).isEmpty();

        List<Message> next = fetch(subject, "billing", 10);
        assertThat(next).extracting(Message::getSequence).containsExactly(second.getSequence());
        assertThat(next.get(0).getData().toStringUtf8()).isEqualTo("two");

        // Another durable has its own position.
        assertThat(fetch(subject, "audit", 10)).hasSize(2);
    }

    @Test
    void aPublishRetriedWithTheSameMessageIdMetadataReturnsTheOriginalSequence() {
        String subject = RunningApp.subject("idempotent");
        io.grpc.Metadata metadata = new io.grpc.Metadata();
        metadata.put(io.grpc.Metadata.Key.of("message-id", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "order-42");
        var withId = app.ingress().withInterceptors(
                io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(metadata));
        PublishRequest request = PublishRequest.newBuilder().setSubject(subject)
                .setData(ByteString.copyFromUtf8("order")).build();
        PublishResponse first = withId.publish(request);
        PublishResponse retry = withId.publish(request);
        PublishResponse other = publish(subject, "order", Map.of());
        assertThat(first.getStatusCode()).isZero();
        assertThat(retry.getStatusCode()).isZero();
        assertThat(retry.getSequence()).isEqualTo(first.getSequence());
        assertThat(other.getSequence()).as("without the header: stored again").isGreaterThan(first.getSequence());
        assertThat(fetch(subject, "check", 10)).hasSize(2);
    }

    @Test
    void ackIsCumulativeAndNeverMovesBack() {
        String subject = RunningApp.subject("cumulative");
        long one = publish(subject, "1", Map.of()).getSequence();
        publish(subject, "2", Map.of());
        long three = publish(subject, "3", Map.of()).getSequence();

        assertThat(ack(subject, "d", three).getSuccess()).isTrue();
        assertThat(fetch(subject, "d", 10)).isEmpty();
        // Acknowledging an older sequence succeeds but does not move the position back.
        assertThat(ack(subject, "d", one).getSuccess()).isTrue();
        assertThat(fetch(subject, "d", 10)).isEmpty();
    }

    @Test
    void largePayloadsTravelThroughObjectStorage() {
        String subject = RunningApp.subject("large");
        byte[] data = new byte[1024 * 1024 + 7];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        PublishResponse published = app.ingress().publish(PublishRequest.newBuilder().setSubject(subject)
                .setData(ByteString.copyFrom(data)).putHeaders("Content-Type", "application/x-test").build());
        assertThat(published.getStatusCode()).isZero();
        assertThat(published.getObjectName()).startsWith(subject + "/");

        List<Message> batch = fetch(subject, "reader", 5);
        assertThat(batch).hasSize(1);
        assertThat(batch.get(0).getData().toByteArray()).isEqualTo(data);
        assertThat(batch.get(0).getHeadersMap()).containsEntry("Content-Type", "application/x-test");
    }

    @Test
    void smallAndEmptyPayloadsStayInline() {
        String subject = RunningApp.subject("small");
        PublishResponse tiny = publish(subject, "tiny", Map.of());
        PublishResponse empty = publish(subject, "", Map.of());
        assertThat(tiny.getStatusCode()).isZero();
        assertThat(tiny.getObjectName()).isEmpty();
        assertThat(empty.getStatusCode()).isZero();
        assertThat(fetch(subject, "d", 10)).extracting(message -> message.getData().toStringUtf8())
                .containsExactly("tiny", "");
    }

    @Test
    void getLastSequenceForKnownAndUnknownSubjects() {
        String subject = RunningApp.subject("last");
        publish(subject, "a", Map.of());
        long newest = publish(subject, "b", Map.of()).getSequence();

        assertThat(lastSequence(subject)).isEqualTo(newest);
        assertThat(lastSequence(RunningApp.subject("never-used"))).isZero();
    }

    @Test
    void subjectsWithUriCharactersReachTheirOwnSubject() {
        String base = RunningApp.subject("odd");
        List<String> subjects = List.of(base + "&x=1", base + "{{env:HOME}}", base + "#frag",
                base + "/a/b", base + "+plus", base + "ünï", base + "*", base + "@host:1", "/" + base,
                base + "RAW(x)", base + ";a,b=c", base + "$(x)${y}");
        List<Long> sequences = new ArrayList<>();
        for (String subject : subjects) {
            PublishResponse response = publish(subject, subject, Map.of());
            assertThat(response.getStatusCode()).as(response.getErrorMessage()).isZero();
            sequences.add(response.getSequence());
        }
        for (int i = 0; i < subjects.size(); i++) {
            String subject = subjects.get(i);
            List<Message> batch = fetch(subject, "reader", 10);
            assertThat(batch).as(subject).hasSize(1);
            assertThat(batch.get(0).getSubject()).isEqualTo(subject);
            assertThat(batch.get(0).getData().toStringUtf8()).isEqualTo(subject);
            assertThat(lastSequence(subject)).isEqualTo(sequences.get(i));
        }
        assertThat(lastSequence(base)).as("no subject was shortened to its prefix").isZero();
    }

    @Test
    void batchSizeAboveTheCapIsLowered() {
        String subject = RunningApp.subject("cap");
        publish(subject, "x", Map.of());
        assertThat(fetch(subject, "d", 5000)).hasSize(1);
    }

    static PublishResponse publish(String subject, String text, Map<String, String> headers) {
        return app.ingress().publish(PublishRequest.newBuilder().setSubject(subject)
                .setData(ByteString.copyFromUtf8(text)).putAllHeaders(headers).build());
    }

    static List<Message> fetch(String subject, String durable, int batchSize) {
        List<Message> messages = new ArrayList<>();
        app.egress().fetch(FetchRequest.newBuilder().setSubject(subject).setDurableName(durable)
                .setBatchSize(batchSize).build()).forEachRemaining(messages::add);
        return messages;
    }

    static AckResponse ack(String subject, String durable, long sequence) {
        return app.egress().ackMessage(AckRequest.newBuilder().setSubject(subject).setDurableName(durable)
                .setSequence(sequence).build());
    }

    static long lastSequence(String subject) {
        return app.egress().getLastSequence(GetLastSequenceRequest.newBuilder().setSubject(subject).build())
                .getLastSequence();
    }
}
