package io.minitoolstream.camel;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;

import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StoredMessage;


/**
 * A message returned by the fetch and peek operations. The payload is opened on demand: inline payloads come
 * from the record, others stream from object storage, so a large batch never sits in memory.
 */
public final class MiniToolStreamMessage {

    private final StoredMessage record;
    private final PayloadStore payloads;

    public MiniToolStreamMessage(StoredMessage record, PayloadStore payloads) {
        this.record = record;
        this.payloads = payloads;
    }

    public long getSequence() {
        return record.sequence();
    }

    public String getSubject() {
        return record.subject();
    }

    public Map<String, String> getHeaders() {
        return record.headers();
    }

    /** The payload's object storage key, null when the payload is inline. */
    public String getObjectName() {
        return record.objectName();
    }

    public Instant getTimestamp() {
        return Instant.ofEpochMilli(record.timestampMillis());
    }

    /** Payload size in bytes, null when the publisher did not record it. */
    public Long getSize() {
        return record.size();
    }

    public String getContentType() {
        return record.contentType();
    }

    public boolean isInline() {
        return record.isInline();
    }

    /** Opens the payload; the caller closes the stream. */
    public InputStream openPayload() {
        return record.isInline() ? new ByteArrayInputStream(record.inlinePayload()) : payloads.get(record.objectName());
    }

    @Override
    public String toString() {
        return "MiniToolStreamMessage[sequence=" + getSequence() + ", subject=" + getSubject() + ", objectName="
               + getObjectName() + ", size=" + getSize() + "]";
    }
}
