package io.minitoolstream.camel.consumer;

import java.io.InputStream;

import io.minitoolstream.camel.MiniToolStreamConstants;
import io.minitoolstream.camel.store.StoredMessage;
import io.minitoolstream.camel.support.StoredHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.HeaderFilterStrategy;

/** Fills a consumed exchange from a stored record: stored headers, the component's headers, the payload. */
final class RecordExchanges {

    private RecordExchanges() {
    }

    static void populate(Exchange exchange, StoredMessage record, InputStream payload, int deliveryCount, int index,
                         int total, HeaderFilterStrategy filter) {
        StoredHeaders.toExchange(record.headers(), exchange, filter);
        Message in = exchange.getIn();
        in.setHeader(MiniToolStreamConstants.SEQUENCE, record.sequence());
        in.setHeader(MiniToolStreamConstants.SUBJECT, record.subject());
        in.setHeader(MiniToolStreamConstants.OBJECT_NAME, record.objectName());
        long millis = record.timestampMillis();
        in.setHeader(MiniToolStreamConstants.TIMESTAMP, millis);
        in.setHeader(Exchange.MESSAGE_TIMESTAMP, millis);
        in.setHeader(MiniToolStreamConstants.DELIVERY_COUNT, deliveryCount);
        if (record.size() != null) {
            in.setHeader(MiniToolStreamConstants.SIZE, record.size());
        }
        if (record.contentType() != null) {
            in.setHeader(Exchange.CONTENT_TYPE, record.contentType());
        }
        in.setBody(record.isInline() ? record.inlinePayload() : payload);
        exchange.setProperty(Exchange.BATCH_INDEX, index);
        exchange.setProperty(Exchange.BATCH_SIZE, total);
        exchange.setProperty(Exchange.BATCH_COMPLETE, index == total - 1);
    }
}
