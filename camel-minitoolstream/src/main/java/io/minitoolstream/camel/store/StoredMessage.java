package io.minitoolstream.camel.store;

import java.util.Map;

/**
 * A stored message's record. {@code inlinePayload} is non-null when the payload lives in the record;
 * otherwise {@code objectName} names the payload object. {@code size} and {@code contentType} may be null
 * for records written by older clients.
 */
public record StoredMessage(long sequence, String subject, Map<String, String> headers, String objectName,
        long createdAtSeconds, byte[] inlinePayload, Long size, String contentType) {

    public boolean isInline() {
        return inlinePayload != null;
    }

    @Override
    public String toString() {
        return "StoredMessage[sequence=" + sequence + ", subject=" + subject + ", objectName=" + objectName
                + ", size=" + size + "]";
    }
}
