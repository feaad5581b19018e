package io.minitoolstream.camel.consumer;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.minitoolstream.camel.MiniToolStreamConstants;
import io.minitoolstream.camel.producer.PayloadSource;
import io.minitoolstream.camel.producer.Publisher;
import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StoredMessage;
import io.minitoolstream.camel.store.StreamStore;


/**
 * Publishes an undeliverable message to the dead-letter subject: its headers plus the reason, the original
 * subject and sequence, and its payload when there still is one (copied under a new object key, so cleaning up
 * either record never removes the other's payload).
 */
final class DeadLetters {

    private final String subject;
    private final Publisher publisher;
    private final PayloadStore payloads;
    private final long timeoutMillis;

    DeadLetters(String subject, StreamStore streams, PayloadStore payloads, long timeoutMillis) {
        this.subject = subject;
        this.payloads = payloads;
        this.timeoutMillis = timeoutMillis;
        // The consumer's thread does the upload itself: dead letters are rare and must finish before the ack.
        this.publisher = new Publisher(streams, payloads, Runnable::run);
    }

    String subject() {
        return subject;
    }

    void publish(StoredMessage record, String reason, boolean withPayload) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>(record.headers());
        headers.put(MiniToolStreamConstants.DEAD_LETTER_REASON, reason);
        headers.put(MiniToolStreamConstants.DEAD_LETTER_SUBJECT, record.subject());
        headers.put(MiniToolStreamConstants.DEAD_LETTER_SEQUENCE, String.valueOf(record.sequence()));
        PayloadSource payload;
        if (!withPayload) {
            payload = new PayloadSource.Inline(new byte[0]);
        } else if (record.isInline()) {
            payload = new PayloadSource.Inline(record.inlinePayload());
        } else {
            InputStream stream = payloads.get(record.objectName());
            payload = new PayloadSource.Streamed(stream, record.size() == null ? -1 : record.size());
        }
        publisher.publish(subject, headers, payload, record.contentType()).get(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
