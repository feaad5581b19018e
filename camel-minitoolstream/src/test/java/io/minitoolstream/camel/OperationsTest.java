package io.minitoolstream.camel;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import io.minitoolstream.camel.store.NewMessagesStatus;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The producer operations besides publish. */
class OperationsTest extends ComponentTestSupport {

    @Test
    void lastSequenceFetchPeekAckPositionAndNewMessages() throws Exception {
        assertThat(template.requestBody(uri("operation=getLastSequence"), null, Long.class)).isZero();
        long[] sequences = new long[4];
        for (int i = 0; i < 4; i++) {
            sequences[i] = publish(("m" + i).getBytes(), Map.of("i", i)).getIn()
                    .getHeader(MiniToolStreamConstants.SEQUENCE, Long.class);
        }
        assertThat(template.requestBody(uri("operation=getLastSequence"), null, Long.class)).isEqualTo(sequences[3]);

        List<MiniToolStreamMessage> fetched = fetch("fetch", Map.of(MiniToolStreamConstants.LIMIT, 2));
        assertThat(fetched).extracting(MiniToolStreamMessage::getSequence).containsExactly(sequences[0], sequences[1]);
        try (InputStream payload = fetched.get(1).openPayload()) {
            assertThat(new String(payload.readAllBytes())).isEqualTo("m1");
        }
        // fetch does not move the position: the same batch comes again until acknowledged
        assertThat(fetch("fetch", Map.of(MiniToolStreamConstants.LIMIT, 2))).extracting(MiniToolStreamMessage::getSequence)
                .containsExactly(sequences[0], sequences[1]);

        assertThat(ack(sequences[1])).isTrue();
        assertThat(ack(sequences[0])).as("acks are monotonic").isFalse();
        assertThat(template.requestBody(uri("operation=getConsumerPosition&durable=d"), null, Long.class))
                .isEqualTo(sequences[1]);
        assertThat(fetch("peek", Map.of())).extracting(MiniToolStreamMessage::getSequence)
                .containsExactly(sequences[2], sequences[3]);

        NewMessagesStatus status = template.requestBody(uri("operation=checkNewMessages&durable=d"), null,
                NewMessagesStatus.class);
        assertThat(status.hasNew()).isTrue();
        assertThat(status.latestSequence()).isEqualTo(sequences[3]);
        assertThat(status.consumerPosition()).isEqualTo(sequences[1]);

        List<MiniToolStreamMessage> autoAcked = fetch("fetch", Map.of(MiniToolStreamConstants.AUTO_ACK, true));
        assertThat(autoAcked).hasSize(2);
        assertThat(template.requestBody(uri("operation=getConsumerPosition&durable=d"), null, Long.class))
                .isEqualTo(sequences[3]);
        assertThat(fetch("fetch", Map.of())).isEmpty();
    }

    @Test
    void ackOfASequenceThatIsNotTheSubjectsFailsNamingIt() {
        long own = publish(new byte[] { 1 }, Map.of()).getIn().getHeader(MiniToolStreamConstants.SEQUENCE, Long.class);
        long foreign = publish("minitoolstream:" + subject + ".other", new byte[] { 2 }, Map.of()).getIn()
                .getHeader(MiniToolStreamConstants.SEQUENCE, Long.class);
        publish(new byte[] { 3 }, Map.of());
        for (long notOurs : new long[] { foreign, foreign + 1000 }) {
            Exchange result = template.request(uri("operation=ack&durable=d"),
                    e -> e.getIn().setHeader(MiniToolStreamConstants.SEQUENCE, notOurs));
            assertThat(result.getException()).as("ack of " + notOurs).isNotNull()
                    .hasMessageContaining(String.valueOf(notOurs));
        }
        assertThat(template.requestBody(uri("operation=getConsumerPosition&durable=d"), null, Long.class)).isZero();
        assertThat(own).isLessThan(foreign);
    }

    @Test
    void operationsThatNeedADurableSayWhichHeaderToSet() {
        Exchange result = template.request(uri("operation=fetch"), e -> { });
        assertThat(result.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(MiniToolStreamConstants.DURABLE);
    }

    @SuppressWarnings("unchecked")
    private List<MiniToolStreamMessage> fetch(String operation, Map<String, Object> headers) {
        return template.requestBodyAndHeaders(uri("operation=" + operation + "&durable=d"), null, headers, List.class);
    }

    private boolean ack(long sequence) {
        return template.requestBodyAndHeader(uri("operation=ack&durable=d"), null, MiniToolStreamConstants.SEQUENCE,
                sequence, Boolean.class);
    }
}
