package io.minitoolstream.camel.support;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps exchange headers to the string map stored with a message, and back. Only scalar values (strings,
 * numbers, booleans, characters, enums) are stored, as text; other values are left out, as Camel's messaging
 * components do, because their text form would not round trip.
 */
public final class StoredHeaders {

    /** The same budget the Lua side enforces: headers travel in every record. */
    public static final int MAX_NAME_BYTES = 255;
    public static final int MAX_TOTAL_BYTES = 65536;

    private static final Logger LOG = LoggerFactory.getLogger(StoredHeaders.class);

    private StoredHeaders() {
    }

    /** @throws IllegalArgumentException naming the header when a name or the total is over its limit */
    public static Map<String, String> fromExchange(Exchange exchange, HeaderFilterStrategy filter) {
        Map<String, String> stored = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, Object> header : exchange.getIn().getHeaders().entrySet()) {
            Object value = header.getValue();
            if (value == null || filter.applyFilterToCamelHeaders(header.getKey(), value, exchange)) {
                continue;
            }
            if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                    || value instanceof Character || value instanceof Enum<?>) {
                String name = header.getKey();
                String text = value.toString();
                int nameBytes = utf8Length(name);
                if (nameBytes == 0 || nameBytes > MAX_NAME_BYTES) {
                    throw new IllegalArgumentException("invalid header name '" + abbreviate(name) + "': must be 1 to "
                                                       + MAX_NAME_BYTES + " bytes, got " + nameBytes);
                }
                total += nameBytes + utf8Length(text);
                if (total > MAX_TOTAL_BYTES) {
                    throw new IllegalArgumentException("invalid headers: more than " + MAX_TOTAL_BYTES
                                                       + " bytes of names and values (at header '"
                                                       + abbreviate(name) + "')");
                }
                stored.put(name, text);
            } else {
                LOG.debug("Header {} of type {} is not stored: only scalar values are", header.getKey(),
                        value.getClass().getName());
            }
        }
        return stored;
    }

    private static int utf8Length(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    public static void toExchange(Map<String, String> stored, Exchange exchange, HeaderFilterStrategy filter) {
        Message message = exchange.getIn();
        stored.forEach((name, value) -> {
            if (!filter.applyFilterToExternalHeaders(name, value, exchange)) {
                message.setHeader(name, value);
            }
        });
    }
}
