package io.minitoolstream.camel.store;

import java.util.Map;

/**
 * A message about to be stored: exactly one of {@code objectName} (payload already in object storage) and
 * {@code inlinePayload} (payload kept in the record) is non-null.
 */
public record NewMessage(String subject, Map<String, String> headers, String objectName, byte[] inlinePayload,
        long size, String contentType) {

    public NewMessage {
        if ((objectName == null) == (inlinePayload == null)) {
            throw new IllegalArgumentException("exactly one of objectName and inlinePayload must be set");
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public boolean isInline() {
        return inlinePayload != null;
    }

    @Override
    public String toString() {
        return "NewMessage[subject=" + subject + ", objectName=" + objectName + ", size=" + size + "]";
    }
}
