package io.minitoolstream.camel.store.tarantool;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tarantool.driver.mappers.DefaultMessagePackMapper;
import io.tarantool.driver.mappers.MessagePackValueMapper;
import io.tarantool.driver.mappers.converters.ValueConverter;
import io.tarantool.driver.mappers.factories.DefaultMessagePackMapperFactory;
import org.msgpack.core.MessageStringCodingException;
import org.msgpack.value.ArrayValue;
import org.msgpack.value.IntegerValue;
import org.msgpack.value.MapValue;
import org.msgpack.value.StringValue;
import org.msgpack.value.Value;
import org.msgpack.value.ValueType;

/**
 * The MessagePack mapper the stream store decodes call results with.
 * <p>
 * Lua (Tarantool 2.6) returns inline payloads as MP_STR even when they went in as MP_BIN, and the driver's
 * default string converter throws on bytes that are not UTF-8. This mapper decodes a string strictly (malformed
 * and unmappable input reported, never replaced): valid UTF-8 becomes a {@link String} (encoding it as UTF-8
 * gives back the exact bytes), anything else a {@code byte[]} with the raw bytes. Integers outside the
 * {@code long} range (uint64 above 2^63 - 1) become {@link BigInteger} instead of a lossy {@code Double}.
 * <p>
 * The mapper starts from the driver factory's fresh complex-types mapper, whose nested map/array converters
 * point at that same instance, and registers the extra converters on it directly: a {@code copy()} would keep
 * the nested converters pointing at the original mapper, so strings inside maps and arrays would escape the
 * strict decoding.
 */
final class BinarySafeMapper {

    private BinarySafeMapper() {
    }

    static DefaultMessagePackMapper create() {
        DefaultMessagePackMapper mapper = DefaultMessagePackMapperFactory.getInstance().defaultComplexTypesMapper();
        // Registration puts a converter in front of those registered before it; an untyped fromValue takes the
        // first converter that accepts the value. Resulting STRING order: strict String, raw bytes, defaults.
        mapper.registerValueConverter(ValueType.INTEGER, BigInteger.class, new OutOfLongRangeToBigInteger());
        mapper.registerValueConverter(ValueType.STRING, byte[].class, new StringValueToRawBytes());
        mapper.registerValueConverter(ValueType.STRING, String.class, new StrictUtf8String());
        // Results are nested maps and arrays (a fetched batch is an array of message maps): decoded in one pass
        // here instead of a converter lookup per nested value, which dominated decoding fetched batches.
        mapper.registerValueConverter(ValueType.ARRAY, List.class, new OnePassArray(mapper));
        mapper.registerValueConverter(ValueType.MAP, Map.class, new OnePassMap(mapper));
        return mapper;
    }

    /**
     * Decodes a value and everything nested in it with the same rules as the converters above: strings strictly
     * (else raw bytes), integers as Integer, Long or BigInteger by range, floats as Double; extension types go
     * to the mapper's own converters.
     */
    static Object decode(Value value, MessagePackValueMapper fallback) {
        switch (value.getValueType()) {
            case NIL:
                return null;
            case BOOLEAN:
                return value.asBooleanValue().getBoolean();
            case INTEGER: {
                IntegerValue integer = value.asIntegerValue();
                if (integer.isInIntRange()) {
                    return integer.asInt();
                }
                return integer.isInLongRange() ? (Object) integer.asLong() : integer.asBigInteger();
            }
            case FLOAT:
                return value.asFloatValue().toDouble();
            case STRING: {
                StringValue string = value.asStringValue();
                return StrictUtf8String.isStrictUtf8(string) ? string.asString() : string.asByteArray();
            }
            case BINARY:
                return value.asBinaryValue().asByteArray();
            case ARRAY: {
                ArrayValue array = value.asArrayValue();
                List<Object> list = new ArrayList<>(array.size());
                for (Value element : array) {
                    list.add(decode(element, fallback));
                }
                return list;
            }
            case MAP: {
                Map<Value, Value> entries = value.asMapValue().map();
                Map<Object, Object> map = new HashMap<>(Math.max(4, entries.size() * 4 / 3 + 1));
                for (Map.Entry<Value, Value> entry : entries.entrySet()) {
                    map.put(decode(entry.getKey(), fallback), decode(entry.getValue(), fallback));
                }
                return map;
            }
            default:
                return fallback.fromValue(value);
        }
    }

    /** Arrays decoded in one pass; see {@link #decode}. */
    static final class OnePassArray implements ValueConverter<ArrayValue, List<?>> {
        private static final long serialVersionUID = 1L;
        private final MessagePackValueMapper fallback;

        OnePassArray(MessagePackValueMapper fallback) {
            this.fallback = fallback;
        }

        @Override
        public List<?> fromValue(ArrayValue value) {
            return (List<?>) decode(value, fallback);
        }
    }

    /** Maps decoded in one pass; see {@link #decode}. */
    static final class OnePassMap implements ValueConverter<MapValue, Map<?, ?>> {
        private static final long serialVersionUID = 1L;
        private final MessagePackValueMapper fallback;

        OnePassMap(MessagePackValueMapper fallback) {
            this.fallback = fallback;
        }

        @Override
        public Map<?, ?> fromValue(MapValue value) {
            return (Map<?, ?>) decode(value, fallback);
        }
    }

    /** Accepts only strings that are valid UTF-8. */
    static final class StrictUtf8String implements ValueConverter<StringValue, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean canConvertValue(StringValue value) {
            return isStrictUtf8(value);
        }

        static boolean isStrictUtf8(StringValue value) {
            // Checked by hand first: msgpack-core's strict decode reports bad input with an exception, and a
            // binary inline payload is bad input every time (that exception dominated consuming, 1 KB payloads).
            if (!Utf8.isValid(value.asByteArray())) {
                return false;
            }
            try {
                // msgpack-core decodes with CodingErrorAction.REPORT and caches the result on the value,
                // so fromValue below does not decode a second time.
                value.asString();
                return true;
            } catch (MessageStringCodingException e) {
                return false;
            }
        }

        @Override
        public String fromValue(StringValue value) {
            return value.asString();
        }
    }

    /** The string's raw bytes; reached for strings the strict converter refused. */
    static final class StringValueToRawBytes implements ValueConverter<StringValue, byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] fromValue(StringValue value) {
            return value.asByteArray();
        }
    }

    /** Integers that do not fit a {@code long}; smaller ones are left to the Integer/Long converters. */
    static final class OutOfLongRangeToBigInteger implements ValueConverter<IntegerValue, BigInteger> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean canConvertValue(IntegerValue value) {
            return !value.isInLongRange();
        }

        @Override
        public BigInteger fromValue(IntegerValue value) {
            return value.asBigInteger();
        }
    }
}
