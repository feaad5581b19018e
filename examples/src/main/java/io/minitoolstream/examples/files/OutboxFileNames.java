package io.minitoolstream.examples.files;

import io.minitoolstream.camel.MiniToolStreamConstants;
import java.nio.charset.StandardCharsets;

import io.minitoolstream.examples.Keys;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Chooses the outbox file name of a consumed file message. The name comes from the stored
 * {@value Keys#FILE_NAME_HEADER} header, which anyone who can publish can set, so it is never trusted as a path:
 * directories are stripped (both {@code /} and {@code \}), and a name that is empty, {@code .}, {@code ..},
 * hidden (leading dot), longer than 255 bytes or holding control characters is replaced by
 * {@code <sequence>.bin}. The file producer's own {@code jailStartingDirectory} stays on as a second fence.
 */
public class OutboxFileNames {

    private static final int MAX_NAME_BYTES = 255;

    /** Sets {@code CamelFileName} for the file producer. */
    public void name(Exchange exchange) {
        Message in = exchange.getIn();
        long sequence = in.getHeader(MiniToolStreamConstants.SEQUENCE, 0L, Long.class);
        in.setHeader(Exchange.FILE_NAME, safeName(in.getHeader(Keys.FILE_NAME_HEADER, String.class), sequence));
    }

    public static String safeName(String original, long sequence) {
        String fallback = sequence + ".bin";
        if (original == null) {
            return fallback;
        }
        String name = original;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        if (slash >= 0) {
            name = name.substring(slash + 1);
        }
        if (name.isEmpty() || name.startsWith(".") || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return fallback;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c) || c == ':') {
                return fallback;
            }
        }
        return name;
    }
}
