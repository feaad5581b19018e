package io.minitoolstream.camel.store.tarantool;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.minitoolstream.camel.store.ClaimedMessage;
import io.minitoolstream.camel.store.ExpiredMessage;
import io.minitoolstream.camel.store.NewMessagesStatus;
import io.minitoolstream.camel.store.OrderedDelivery;
import io.minitoolstream.camel.store.OriginalMessage;
import io.minitoolstream.camel.store.PositionReset;
import io.minitoolstream.camel.store.StoreConflictException;
import io.minitoolstream.camel.store.StoreDuplicateException;
import io.minitoolstream.camel.store.StoreInvalidArgumentException;
import io.minitoolstream.camel.store.StoredMessage;
import io.minitoolstream.camel.store.StreamStoreException;

/**
 * Turns what the Lua functions return (as decoded by {@link BinarySafeMapper}) into the store's records. Every
 * method throws {@link StreamStoreException} naming the function when the result does not have the expected
 * shape.
 */
final class LuaResults {

    private LuaResults() {
    }

    /**
     * The first returned value. A Lua function may report failure as {@code nil, err}; that becomes an
     * exception.
     */
    static Object first(String function, List<?> results) {
        if (results == null || results.isEmpty()) {
            throw new StreamStoreException(function + " returned nothing");
        }
        Object first = results.get(0);
        if (first == null && results.size() > 1 && results.get(1) != null) {
            throw new StreamStoreException(function + " failed: " + text(results.get(1)));
        }
        return first;
    }

    static long toLong(String function, String field, Object value) {
        if (value instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw new StreamStoreException(function + " returned " + field + " " + big
                        + ", which does not fit a signed 64-bit integer");
            }
            return big.longValue();
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        throw new StreamStoreException(function + " returned " + describe(value) + " as " + field
                + ", expected a number");
    }

    /**
     * One publish's result: its sequence; a duplicate's answer ({@code {duplicate = true, sequence, object_name}})
     * becomes a {@link StoreDuplicateException}; a record refused in a group commit
     * ({@code {error = ..., code = ...}}) the exception its code stands for.
     */
    static long toPublished(String function, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return toLong(function, "sequence", value);
        }
        if (Boolean.TRUE.equals(map.get("duplicate"))) {
            OriginalMessage original = toOriginal(function, map);
            throw new StoreDuplicateException("Tarantool call " + function + ": duplicate message id, already stored"
                    + " as sequence " + original.sequence(), original);
        }
        if (map.get("error") != null) {
            String reason = text(map.get("error"));
            String message = "Tarantool call " + function + " failed: " + reason;
            Object code = map.get("code");
            long number = code instanceof Number n ? n.longValue() : TarantoolErrors.INVALID_ARGUMENT;
            if (number == TarantoolErrors.INVALID_ARGUMENT) {
                throw new StoreInvalidArgumentException(message, reason, null);
            }
            if (number == TarantoolErrors.CONFLICT) {
                throw new StoreConflictException(message, reason, null);
            }
            throw new StreamStoreException(message + " (code " + number + ")", reason, null);
        }
        throw new StreamStoreException(function + " returned " + describe(value) + ", expected a sequence");
    }

    static OriginalMessage toOriginal(String function, Map<?, ?> map) {
        return new OriginalMessage(toLong(function, "sequence", map.get("sequence")),
                toNullableString(function, "object_name", map.get("object_name")));
    }

    static PositionReset toPositionReset(String function, Object value) {
        Map<?, ?> map = toMap(function, value);
        return new PositionReset(toLong(function, "resets", map.get("resets")),
                toNullableLong(function, "position", map.get("position")));
    }

    static Long toNullableLong(String function, String field, Object value) {
        return value == null ? null : toLong(function, field, value);
    }

    static boolean toBoolean(String function, String field, Object value) {
        if (value instanceof Boolean bool) {
            return bool;
        }
        throw new StreamStoreException(function + " returned " + describe(value) + " as " + field
                + ", expected a boolean");
    }

    /**
     * The per-sequence results of an ack batch ({@code true}, {@code false} or {@code {error = ...}}, in the order
     * sent): the sequences refused, with the server's reason.
     */
    static Map<Long, String> toRefusedAcks(String function, List<Long> sent, Object value) {
        if (!(value instanceof List<?> perSequence) || perSequence.size() != sent.size()) {
            throw new StreamStoreException(function + " returned " + describe(value) + ", expected one result for each of "
                    + sent.size() + " sequences");
        }
        Map<Long, String> refused = new LinkedHashMap<>();
        for (int i = 0; i < sent.size(); i++) {
            Object result = perSequence.get(i);
            if (result instanceof Map<?, ?> map && map.get("error") != null) {
                refused.put(sent.get(i), String.valueOf(map.get("error")));
            } else if (!(result instanceof Boolean)) {
                throw new StreamStoreException(function + " returned " + describe(result) + " for sequence "
                        + sent.get(i) + ", expected a boolean or an error");
            }
        }
        return refused;
    }

    static String toNullableString(String function, String field, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String string) {
            return string;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        throw new StreamStoreException(function + " returned " + describe(value) + " as " + field
                + ", expected a string");
    }

    /**
     * An inline payload: a strictly decoded UTF-8 string encodes back to the exact bytes; a non-UTF-8 string
     * already arrives as {@code byte[]} (and so does MP_BIN).
     */
    static byte[] toNullableBytes(String function, String field, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof String string) {
            return string.getBytes(StandardCharsets.UTF_8);
        }
        throw new StreamStoreException(function + " returned " + describe(value) + " as " + field
                + ", expected bytes");
    }

    /** Headers: a map of strings; an empty Lua table may arrive as an empty array. */
    static Map<String, String> toHeaders(String function, Object value) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof List<?> list && list.isEmpty()) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new StreamStoreException(function + " returned " + describe(value)
                    + " as headers, expected a map");
        }
        Map<String, String> headers = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = entry.getKey() instanceof byte[] bytes
                    ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(entry.getKey());
            headers.put(key, toNullableString(function, "header " + key, scalarToString(entry.getValue())));
        }
        return Collections.unmodifiableMap(headers);
    }

    private static Object scalarToString(Object value) {
        if (value == null || value instanceof String || value instanceof byte[]) {
            return value;
        }
        return String.valueOf(value);
    }

    static List<Map<?, ?>> toListOfMaps(String function, Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Map<?, ?> map && map.isEmpty()) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new StreamStoreException(function + " returned " + describe(value) + ", expected an array");
        }
        List<Map<?, ?>> result = new ArrayList<>(list.size());
        for (Object item : list) {
            result.add(toMap(function, item));
        }
        return result;
    }

    static Map<?, ?> toMap(String function, Object value) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        if (value instanceof List<?> list && list.isEmpty()) {
            return Map.of();
        }
        throw new StreamStoreException(function + " returned " + describe(value) + ", expected a map");
    }

    static List<StoredMessage> toMessages(String function, Object value) {
        List<Map<?, ?>> maps = toListOfMaps(function, value);
        List<StoredMessage> messages = new ArrayList<>(maps.size());
        for (Map<?, ?> map : maps) {
            messages.add(toMessage(function, map));
        }
        return messages;
    }

    static List<ClaimedMessage> toClaimed(String function, Object value) {
        List<Map<?, ?>> maps = toListOfMaps(function, value);
        List<ClaimedMessage> claimed = new ArrayList<>(maps.size());
        for (Map<?, ?> map : maps) {
            claimed.add(new ClaimedMessage(toMessage(function, map),
                    (int) toLong(function, "delivery_count", map.get("delivery_count")),
                    toNullableString(function, "last_failure", map.get("last_failure"))));
        }
        return claimed;
    }

    static OrderedDelivery toOrderedDelivery(String function, Object value) {
        Map<?, ?> map = toMap(function, value);
        Object notBefore = map.get("not_before");
        return new OrderedDelivery(
                toBoolean(function, "owner", map.get("owner")),
                toBoolean(function, "ready", map.get("ready")),
                (int) toLong(function, "delivery_count", map.get("delivery_count")),
                notBefore instanceof Number seconds ? (long) (seconds.doubleValue() * 1000) : 0L,
                toNullableString(function, "last_failure", map.get("last_failure")));
    }

    static StoredMessage toMessage(String function, Map<?, ?> map) {
        return new StoredMessage(
                toLong(function, "sequence", map.get("sequence")),
                toNullableString(function, "subject", map.get("subject")),
                toHeaders(function, map.get("headers")),
                toNullableString(function, "object_name", map.get("object_name")),
                map.get("create_at") == null ? 0L : toLong(function, "create_at", map.get("create_at")),
                toNullableBytes(function, "payload", map.get("payload")),
                toNullableLong(function, "size", map.get("size")),
                toNullableString(function, "content_type", map.get("content_type")),
                toNullableLong(function, "create_at_ms", map.get("create_at_ms")));
    }

    static List<ExpiredMessage> toExpired(String function, Object value) {
        List<Map<?, ?>> maps = toListOfMaps(function, value);
        List<ExpiredMessage> expired = new ArrayList<>(maps.size());
        for (Map<?, ?> map : maps) {
            expired.add(new ExpiredMessage(
                    toLong(function, "sequence", map.get("sequence")),
                    toNullableString(function, "subject", map.get("subject")),
                    toNullableString(function, "object_name", map.get("object_name"))));
        }
        return expired;
    }

    static NewMessagesStatus toStatus(String function, Object value) {
        Map<?, ?> map = toMap(function, value);
        return new NewMessagesStatus(
                toBoolean(function, "has_new", map.get("has_new")),
                toLong(function, "latest_sequence", orZero(map.get("latest_sequence"))),
                toLong(function, "consumer_position", orZero(map.get("consumer_position"))),
                toLong(function, "new_count", orZero(map.get("new_count"))));
    }

    private static Object orZero(Object value) {
        return value == null ? 0L : value;
    }

    /** An array of strings; nil or an empty Lua table (which msgpack may encode as a map) is an empty list. */
    static List<String> toStrings(String function, Object value) {
        if (value == null || value instanceof Map<?, ?> map && map.isEmpty()) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new StreamStoreException(function + " returned " + describe(value) + ", expected an array");
        }
        List<String> strings = new ArrayList<>(list.size());
        for (Object item : list) {
            strings.add(text(item));
        }
        return strings;
    }

    static String text(Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return String.valueOf(value);
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nil";
        }
        String text = text(value);
        if (text.length() > 80) {
            text = text.substring(0, 80) + "...";
        }
        return value.getClass().getSimpleName() + " " + text;
    }
}
