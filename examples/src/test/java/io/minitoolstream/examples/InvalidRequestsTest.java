package io.minitoolstream.examples;

import io.minitoolstream.camel.MiniToolStreamConfiguration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.DevServicesExtension;
import io.minitoolstream.grpc.AckRequest;
import io.minitoolstream.grpc.AckResponse;
import io.minitoolstream.grpc.FetchRequest;
import io.minitoolstream.grpc.GetLastSequenceRequest;
import io.minitoolstream.grpc.Message;
import io.minitoolstream.grpc.Notification;
import io.minitoolstream.grpc.PublishRequest;
import io.minitoolstream.grpc.PublishResponse;
import io.minitoolstream.grpc.SubscribeRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Bad requests get a clear answer naming the bad value: Publish and AckMessage in their response (status code 3,
 * success false), the other methods as gRPC status INVALID_ARGUMENT.
 */
@ExtendWith(DevServicesExtension.class)
class InvalidRequestsTest {

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
    void publishAnswersInvalidRequestsInTheResponse() {
        assertPublishRejected(request(""), "invalid subject '': must not be empty");
        assertPublishRejected(request("has space"), "invalid subject 'has\\u0020space'");
        assertPublishRejected(request("x".repeat(256)), "at most 255 allowed");
        assertPublishRejected(request("a?b"), "'?' is not supported");
        assertPublishRejected(request("100%"), "'%' is not supported");
        assertPublishRejected(request("*"), "invalid subject '*'");
        assertPublishRejected(request("//x"), "a leading '//' is not supported");
        assertPublishRejected(request(RunningApp.subject("h")).putHeaders("CamelMiniToolStreamOperation", "ack"),
                "invalid header name 'CamelMiniToolStreamOperation': names starting with Camel are reserved");
        assertPublishRejected(request(RunningApp.subject("h")).putHeaders("", "x"), "invalid header name ''");
        assertPublishRejected(request(RunningApp.subject("h")).putHeaders("Kind", "a").putHeaders("kind", "b"),
                "only in case");
    }

    @Test
    void aRejectedPublishStoresNothing() {
        String subject = RunningApp.subject("rejected");
        PublishResponse response = app.ingress().publish(request(subject)
                .putHeaders("camelSomething", "x").build());
        assertThat(response.getStatusCode()).isEqualTo(3);
        assertThat(app.egress().getLastSequence(GetLastSequenceRequest.newBuilder().setSubject(subject).build())
                .getLastSequence()).isZero();
    }

    @Test
    void fetchRejectsEmptySubjectEmptyDurableAndBadBatchSizes() {
        assertInvalid(() -> fetch("", "d", 1), "invalid subject '': must not be empty");
        assertInvalid(() -> fetch("s", "", 1), "invalid durable_name '': must not be empty");
        assertInvalid(() -> fetch("s", "d", 0), "invalid batch_size 0: must be at least 1");
        assertInvalid(() -> fetch("s", "d", -5), "invalid batch_size -5: must be at least 1");
        assertInvalid(() -> fetch("s", "bad durable", 1), "invalid durable_name 'bad\\u0020durable'");
    }

    @Test
    void getLastSequenceRejectsAnEmptySubject() {
        assertInvalid(() -> app.egress().getLastSequence(GetLastSequenceRequest.newBuilder().setSubject("").build()),
                "invalid subject '': must not be empty");
    }

    @Test
    void subscribeRejectsAnEmptySubjectAndABadDurable() {
        assertInvalid(() -> subscribe(SubscribeRequest.newBuilder().setSubject("").build()),
                "invalid subject '': must not be empty");
        assertInvalid(() -> subscribe(SubscribeRequest.newBuilder().setSubject("s").setDurableName("a b").build()),
                "invalid durable_name 'a\\u0020b'");
    }

    @Test
    void ackAnswersInvalidRequestsInTheResponse() {
        String subject = RunningApp.subject("ack");
        long sequence = app.ingress().publish(request(subject).build()).getSequence();

        assertAckRejected(ack(subject, "", sequence), "invalid durable_name '': must not be empty");
        assertAckRejected(ack("", "d", sequence), "invalid subject '': must not be empty");
        assertAckRejected(ack(subject, "d", 0), "invalid sequence 0: must be at least 1");
        // Checked by Tarantool: the sequence must be one of the subject's.
        assertAckRejected(ack(subject, "d", sequence + 1_000_000), "no such message in subject");
        assertThat(ack(subject, "d", sequence).getSuccess()).isTrue();
    }

    @Test
    void anOversizedBatchIsLoweredToTheCapAndAnUnknownDurableStartsAtTheBeginning() {
        String subject = RunningApp.subject("cap");
        int cap = MiniToolStreamConfiguration.MAX_MESSAGES_PER_POLL_CAP;
        List<Long> published = new ArrayList<>();
        for (int n = 0; n < cap + 5; n++) {
            PublishResponse response = app.ingress().publish(request(subject).build());
            assertThat(response.getStatusCode()).isZero();
            published.add(response.getSequence());
        }
        assertThat(fetchSequences(subject, "never-seen-before", Integer.MAX_VALUE))
                .containsExactlyElementsOf(published.subList(0, cap));
        // Fetch neither creates nor moves the durable: the same messages come again
        assertThat(fetchSequences(subject, "never-seen-before", 3)).containsExactlyElementsOf(published.subList(0, 3));
    }

    private static List<Long> fetchSequences(String subject, String durable, int batchSize) {
        List<Long> sequences = new ArrayList<>();
        app.egress().fetch(FetchRequest.newBuilder().setSubject(subject).setDurableName(durable)
                .setBatchSize(batchSize).build()).forEachRemaining(message -> sequences.add(message.getSequence()));
        return sequences;
    }

    private static PublishRequest.Builder request(String subject) {
        return PublishRequest.newBuilder().setSubject(subject).setData(ByteString.copyFromUtf8("x"));
    }

    private static void assertPublishRejected(PublishRequest.Builder request, String message) {
        PublishResponse response = app.ingress().publish(request.build());
        assertThat(response.getStatusCode()).as(response.getErrorMessage()).isEqualTo(3);
        assertThat(response.getErrorMessage()).contains(message);
        assertThat(response.getSequence()).isZero();
    }

    private static void assertAckRejected(AckResponse response, String message) {
        assertThat(response.getSuccess()).isFalse();
        assertThat(response.getErrorMessage()).contains(message);
    }

    private static void assertInvalid(ThrowingCallable call, String message) {
        StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(failure).as("the call fails").isNotNull();
        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(failure.getStatus().getDescription()).contains(message);
    }

    private static void fetch(String subject, String durable, int batchSize) {
        Iterator<Message> messages = app.egress().fetch(FetchRequest.newBuilder().setSubject(subject)
                .setDurableName(durable).setBatchSize(batchSize).build());
        messages.forEachRemaining(message -> { });
    }

    private static void subscribe(SubscribeRequest request) {
        Iterator<Notification> notifications = app.egress().subscribe(request);
        notifications.hasNext();
    }

    private static AckResponse ack(String subject, String durable, long sequence) {
        return app.egress().ackMessage(AckRequest.newBuilder().setSubject(subject).setDurableName(durable)
                .setSequence(sequence).build());
    }
}
