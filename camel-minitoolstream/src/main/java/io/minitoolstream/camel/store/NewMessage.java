package io.minitoolstream.camel.store;

import java.util.Map;

/**
 * A message about to be stored: exactly one of {@code objectName} (payload already in object storage) and
 * {@code inlinePayload} (payload kept in the record) is non-null. With a {@code messageId} and a positive
 * {@code duplicateWindowMillis}, a publish of an id stored within the window stores nothing and fails with a
 * {@link StoreDuplicateException} naming the original.
 */
public record NewMessage(String subject, Map<String, String> headers, String objectName, byte[] inlinePayload,
        long size, String contentType, String messageId, long duplicateWindowMillis) {

    public NewMessage {
        if ((objectName == null) == (inlinePayload == null)) {
            throw new IllegalArgumentException("exactly one of objectName and inlinePayload must be set");
        }
        if (duplicateWindowMillis < 0) {
            throw new IllegalArgumentException("duplicateWindowMillis must not be negative");
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** Without an idempotency key. */
    public NewMessage(String subject, Map<String, String> headers, String objectName, byte[] inlinePayload,
                      long size, String contentType) {
        this(subject, headers, objectName, inlinePayload, size, contentType, null, 0);
    }

    public boolean isInline() {
        return inlinePayload != null;
    }

    /** Whether the store checks and records the message id (an id and a window). */
    public boolean isDeduplicated() {
        return messageId != null && duplicateWindowMillis > 0;
    }

    @Override
    public String toString() {
        return "NewMessage[subject=" + subject + ", objectName=" + objectName + ", size=" + size
                + (messageId == null ? "" : ", messageId=" + messageId) + "]";
    }
}
