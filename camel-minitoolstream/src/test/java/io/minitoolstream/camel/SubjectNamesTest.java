package io.minitoolstream.camel;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("fast")
class SubjectNamesTest {

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "a b", "tab\there", "new\nline", "nul\u0000", "del\u007f", "nbsp\u00a0x",
                             "em\u2003space" })
    void whitespaceControlCharactersAndEmptyNamesAreRejected(String name) {
        assertThatThrownBy(() -> SubjectNames.requireValid("subject", name))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("invalid subject '");
    }

    @ParameterizedTest
    @ValueSource(strings = { "orders", "orders.eu-west.v2", "заказы", "a/b", "x" })
    void ordinaryNamesAreAccepted(String name) {
        assertThat(SubjectNames.requireValid("subject", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(ints = { 255, 256 })
    void theLimitIsCountedInUtf8Bytes(int bytes) {
        // 'é' is two bytes in UTF-8: 127 of them plus one or two ASCII letters make 255 or 256 bytes.
        String name = "é".repeat(127) + "a".repeat(bytes - 254);
        if (bytes <= SubjectNames.MAX_BYTES) {
            assertThat(SubjectNames.requireValid("subject", name)).isEqualTo(name);
        } else {
            assertThatThrownBy(() -> SubjectNames.requireValid("subject", name))
                    .hasMessageContaining(bytes + " bytes");
        }
    }
}
