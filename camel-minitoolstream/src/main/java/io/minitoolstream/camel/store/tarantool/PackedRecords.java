package io.minitoolstream.camel.store.tarantool;

import java.util.List;
import java.util.Map;

import io.minitoolstream.camel.store.NewMessage;
import io.tarantool.driver.mappers.MessagePackObjectMapper;
import io.tarantool.driver.protocol.Packable;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * The records argument of {@code publish_records}, encoded to MessagePack in one pass. Given as plain lists and
 * maps, the driver's mapper would look up a converter for every nested value, on its single I/O thread, which
 * profiles showed as the busiest thread when many publishers share a connection. The encoding is the same:
 * each record is {@code [subject, object_name, headers, payload, size, content_type, message_id, window_ms]} with nil for what is absent,
 * the payload as MessagePack binary.
 */
final class PackedRecords implements Packable {

    private static final long serialVersionUID = 1L;

    private final List<NewMessage> messages;

    PackedRecords(List<NewMessage> messages) {
        this.messages = List.copyOf(messages);
    }

    @Override
    public Value toMessagePackValue(MessagePackObjectMapper mapper) {
        Value[] records = new Value[messages.size()];
        for (int i = 0; i < records.length; i++) {
            NewMessage m = messages.get(i);
            records[i] = ValueFactory.newArray(new Value[] {
                ValueFactory.newString(m.subject()),
                m.objectName() == null ? ValueFactory.newNil() : ValueFactory.newString(m.objectName()),
                headers(m.headers()),
                m.inlinePayload() == null ? ValueFactory.newNil() : ValueFactory.newBinary(m.inlinePayload(), true),
                m.size() < 0 ? ValueFactory.newNil() : ValueFactory.newInteger(m.size()),
                m.contentType() == null ? ValueFactory.newNil() : ValueFactory.newString(m.contentType()),
                m.isDeduplicated() ? ValueFactory.newString(m.messageId()) : ValueFactory.newNil(),
                m.isDeduplicated() ? ValueFactory.newInteger(m.duplicateWindowMillis()) : ValueFactory.newNil(),
            }, true);
        }
        return ValueFactory.newArray(records, true);
    }

    private static Value headers(Map<String, String> headers) {
        Value[] keysAndValues = new Value[headers.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            keysAndValues[i++] = ValueFactory.newString(header.getKey());
            keysAndValues[i++] = ValueFactory.newString(header.getValue());
        }
        return ValueFactory.newMap(keysAndValues);
    }

    @Override
    public String toString() {
        return "PackedRecords[" + messages.size() + " records]";
    }
}
