package io.minitoolstream.camel.producer;

import java.nio.charset.StandardCharsets;

import io.minitoolstream.camel.MiniToolStreamConstants;

/** The CamelMiniToolStreamMessageId header, checked before anything is read or uploaded. */
final class MessageIds {

    static final int MAX_BYTES = 255;
    /** How much of a bad value an error message repeats: enough to recognise it, never a whole payload. */
    private static final int SHOWN_CHARS = 80;

    private MessageIds() {
    }

    /** The id, or null when the header is absent; a String of 1-255 bytes (UTF-8). */
    static String fromHeader(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String id)) {
            throw new IllegalArgumentException("invalid " + MiniToolStreamConstants.MESSAGE_ID + " '" + shown(value)
                                               + "': must be a String, got " + value.getClass().getName());
        }
        int bytes = id.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < 1 || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("invalid " + MiniToolStreamConstants.MESSAGE_ID + " '" + shown(id)
                                               + "': must be 1-" + MAX_BYTES + " bytes (UTF-8), got " + bytes);
        }
        return id;
    }

    private static String shown(Object value) {
        String text = String.valueOf(value);
        return text.length() <= SHOWN_CHARS ? text : text.substring(0, SHOWN_CHARS) + "...";
    }
}
