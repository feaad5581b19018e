package io.minitoolstream.camel.store;

import java.util.Map;

/**
 * A stored message's record. {@code inlinePayload} is non-null when the payload lives in the record;
 * otherwise {@code objectName} names the payload object. {@code size} and {@code contentType} may be null
 * for records written by older clients; so may {@code createdAtMillis} (rows from before schema 6 that were not
 * back-filled).
 */
public record StoredMessage(long sequence, String subject, Map<String, String> headers, String objectName,
        long createdAtSeconds, byte[] inlinePayload, Long size, String contentType, Long createdAtMillis) {

    public StoredMessage(long sequence, String subject, Map<String, String> headers, String objectName,
                         long createdAtSeconds, byte[] inlinePayload, Long size, String contentType) {
        this(sequence, subject, headers, objectName, createdAtSeconds, inlinePayload, size, contentType, null);
    }

    /** When the message was published, in milliseconds since the epoch (second precision for old rows). */
    public long timestampMillis() {
        return createdAtMillis != null ? createdAtMillis : createdAtSeconds * 1000L;
    }

    public boolean isInline() {
        return inlinePayload != null;
    }

    @Override
    public String toString() {
        return "StoredMessage[sequence=" + sequence + ", subject=" + subject + ", objectName=" + objectName
                + ", size=" + size + "]";
    }
}
