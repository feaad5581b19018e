package io.minitoolstream.camel;

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
final class StoredHeaders {

    private static final Logger LOG = LoggerFactory.getLogger(StoredHeaders.class);

    private StoredHeaders() {
    }

    static Map<String, String> fromExchange(Exchange exchange, HeaderFilterStrategy filter) {
        Map<String, String> stored = new LinkedHashMap<>();
        for (Map.Entry<String, Object> header : exchange.getIn().getHeaders().entrySet()) {
            Object value = header.getValue();
            if (value == null || filter.applyFilterToCamelHeaders(header.getKey(), value, exchange)) {
                continue;
            }
            if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                    || value instanceof Character || value instanceof Enum<?>) {
                stored.put(header.getKey(), value.toString());
            } else {
                LOG.debug("Header {} of type {} is not stored: only scalar values are", header.getKey(),
                        value.getClass().getName());
            }
        }
        return stored;
    }

    static void toExchange(Map<String, String> stored, Exchange exchange, HeaderFilterStrategy filter) {
        Message message = exchange.getIn();
        stored.forEach((name, value) -> {
            if (!filter.applyFilterToExternalHeaders(name, value, exchange)) {
                message.setHeader(name, value);
            }
        });
    }
}
