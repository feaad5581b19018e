package io.minitoolstream.camel.store.tarantool;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.tarantool.driver.mappers.DefaultMessagePackMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The result mapper, without a server: strings strictly decoded, binary kept, big integers exact. */
@Tag("fast")
class BinarySafeMapperTest {

    private final DefaultMessagePackMapper mapper = BinarySafeMapper.create();

    /** Packs as MP_STR and unpacks, as a Lua string arrives from Tarantool. */
    private static Value wireString(byte[] bytes) throws Exception {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packer.packRawStringHeader(bytes.length);
            packer.writePayload(bytes);
            return MessagePack.newDefaultUnpacker(packer.toByteArray()).unpackValue();
        }
    }

    private Object decode(byte[] bytes) throws Exception {
        return mapper.fromValue(wireString(bytes));
    }

    @Test
    void validUtf8StaysAString() throws Exception {
        String text = "héllo wörld ✓ \uD83D\uDE00 \u0000 end";
        assertThat(decode(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
        assertThat(decode(new byte[0])).isEqualTo("");
        // a BOM is valid UTF-8 and kept
        assertThat(decode(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a'})).isEqualTo("\uFEFFa");
    }

    @Test
    void invalidUtf8ArrivesAsExactBytes() throws Exception {
        byte[][] samples = {
            {(byte) 0xFF},
            {'a', (byte) 0xC3},                                 // truncated sequence
            {(byte) 0xC0, (byte) 0x80},                         // overlong NUL
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},            // encoded surrogate (CESU-8)
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            allBytes(),
        };
        for (byte[] sample : samples) {
            assertThat(decode(sample)).isInstanceOf(byte[].class).isEqualTo(sample);
        }
    }

    @Test
    void everyDecodedStringEncodesBackToItsBytes() throws Exception {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(8)];
            random.nextBytes(bytes);
            assertThat(LuaResults.toNullableBytes("f", "payload", decode(bytes))).isEqualTo(bytes);
        }
    }

    @Test
    void nestedStringsInMapsAndArraysUseTheSameRules() {
        byte[] binary = {(byte) 0xFF, 0, 1};
        Value value = ValueFactory.newArray(ValueFactory.newMap(
                ValueFactory.newString("payload"), ValueFactory.newString(binary),
                ValueFactory.newString("headers"), ValueFactory.newMap(
                        ValueFactory.newString("ключ"), ValueFactory.newString("значение")),
                ValueFactory.newString("list"), ValueFactory.newArray(ValueFactory.newString(binary))));
        List<?> list = mapper.fromValue(value);
        Map<?, ?> map = (Map<?, ?>) list.get(0);
        assertThat(map.get("payload")).isEqualTo(binary);
        assertThat(map.get("headers")).isEqualTo(Map.of("ключ", "значение"));
        assertThat(((List<?>) map.get("list")).get(0)).isEqualTo(binary);
    }

    @Test
    void binaryValuesStayBytes() {
        byte[] binary = {1, 2, 3};
        assertThat((Object) mapper.fromValue(ValueFactory.newBinary(binary))).isEqualTo(binary);
    }

    @Test
    void integersOfEverySize() {
        assertThat((Object) mapper.fromValue(ValueFactory.newInteger(42))).isEqualTo(42);
        assertThat((Object) mapper.fromValue(ValueFactory.newInteger(-1))).isEqualTo(-1);
        assertThat((Object) mapper.fromValue(ValueFactory.newInteger(1L << 40))).isEqualTo(1L << 40);
        assertThat((Object) mapper.fromValue(ValueFactory.newInteger(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        BigInteger max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        assertThat((Object) mapper.fromValue(ValueFactory.newInteger(max))).isEqualTo(max);
        assertThat(LuaResults.toLong("f", "sequence", BigInteger.valueOf(7))).isEqualTo(7L);
    }

    @Test
    void typedStringLookupsStillWork() {
        assertThat(mapper.fromValue(ValueFactory.newString("abc"), String.class)).isEqualTo("abc");
        assertThat(mapper.fromValue(ValueFactory.newString(new byte[] {(byte) 0xFF}), byte[].class))
                .isEqualTo(new byte[] {(byte) 0xFF});
    }

    @Test
    void emptyLuaTablesAsHeaders() {
        assertThat(LuaResults.toHeaders("f", List.of())).isEmpty();
        assertThat(LuaResults.toHeaders("f", Map.of())).isEmpty();
        assertThat(LuaResults.toHeaders("f", null)).isEmpty();
        assertThat(LuaResults.toHeaders("f", Map.of("n", 5))).containsEntry("n", "5");
    }

    private static byte[] allBytes() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
