package io.minitoolstream.camel;

import java.util.List;
import java.util.Map;

import io.minio.RemoveObjectArgs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A payload object deleted behind the stream's back never blocks the subject unless the user asks for that. */
class MissingPayloadTest extends ComponentTestSupport {

    private long publishWithLostPayload() throws Exception {
        var published = publish(uri("inlineThreshold=0"), "lost".getBytes(), Map.of("kind", "lost"));
        minio().removeObject(RemoveObjectArgs.builder().bucket("minitoolstream")
                .object(published.getIn().getHeader(MiniToolStreamConstants.OBJECT_NAME, String.class)).build());
        return published.getIn().getHeader(MiniToolStreamConstants.SEQUENCE, Long.class);
    }

    @Test
    void skipWarnsAcknowledgesAndDeliversTheRest() throws Exception {
        long lost = publishWithLostPayload();
        publish("kept".getBytes(), Map.of("kind", "kept"));
        List<Delivery> deliveries = syncList();
        context.addRoutes(recordingRoute(uri("durable=skip&delay=50"), deliveries));
        await("the kept message", 10_000, () -> deliveries.size() == 1);
        assertThat(deliveries.get(0).headers()).containsEntry("kind", "kept");
        // the acknowledgement follows the route's completion, just after the processor ran
        await("the position past the lost message", 5_000, () -> template.requestBody(
                uri("operation=getConsumerPosition&durable=skip"), null, Long.class) > lost);
    }

    @Test
    void deadLetterPublishesTheHeadersWithTheReason() throws Exception {
        long lost = publishWithLostPayload();
        publish("kept".getBytes(), Map.of("kind", "kept"));
        String deadLetters = subject + ".dlq";
        List<Delivery> deliveries = syncList();
        List<Delivery> dead = syncList();
        context.addRoutes(recordingRoute(uri("durable=dl&delay=50&missingPayloadPolicy=deadLetter&deadLetterSubject="
                                             + deadLetters), deliveries));
        context.addRoutes(recordingRoute("minitoolstream:" + deadLetters + "?durable=dl&delay=50", dead));
        await("the kept message and the dead letter", 10_000, () -> deliveries.size() == 1 && dead.size() == 1);
        assertThat(dead.get(0).headers()).containsEntry("kind", "lost")
                .containsEntry(MiniToolStreamConstants.DEAD_LETTER_SUBJECT, subject)
                .containsEntry(MiniToolStreamConstants.DEAD_LETTER_SEQUENCE, String.valueOf(lost))
                .containsKey(MiniToolStreamConstants.DEAD_LETTER_REASON);
        assertThat(dead.get(0).headers().get(MiniToolStreamConstants.DEAD_LETTER_REASON).toString())
                .contains("not found");
        assertThat(deliveries.get(0).headers()).containsEntry("kind", "kept");
        assertThat(lost).isPositive();
    }

    @Test
    void failKeepsThePositionAndDeliversNothingAfterIt() throws Exception {
        publishWithLostPayload();
        publish("behind".getBytes(), Map.of("kind", "behind"));
        List<Delivery> deliveries = syncList();
        PollCounter polls = PollCounter.boundIn(context, "polls");
        context.addRoutes(recordingRoute(uri("durable=f&delay=50&missingPayloadPolicy=fail&pollStrategy=#polls"),
                deliveries));
        polls.awaitTwoPolls(); // the lost message was tried: whatever came after it would have been delivered
        assertThat(deliveries).isEmpty();
        assertThat(template.requestBody(uri("operation=getConsumerPosition&durable=f"), null, Long.class)).isZero();
    }
}
