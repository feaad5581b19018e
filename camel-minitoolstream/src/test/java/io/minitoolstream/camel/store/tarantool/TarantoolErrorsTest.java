package io.minitoolstream.camel.store.tarantool;

import java.util.concurrent.CompletionException;

import io.minitoolstream.camel.store.StoreConflictException;
import io.minitoolstream.camel.store.StoreInvalidArgumentException;
import io.minitoolstream.camel.store.StoreReadOnlyException;
import io.minitoolstream.camel.store.StoreUnavailableException;
import io.minitoolstream.camel.store.StreamStoreException;
import io.tarantool.driver.exceptions.TarantoolConnectionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Mapping of server and driver failures to the store's types, by box.error code (pure logic, no server). */
@Tag("fast")
class TarantoolErrorsTest {

    private static RuntimeException boxError(int code, String message) {
        return new RuntimeException("InnerErrorMessage:\ncode: " + code + "\nmessage: " + message + "\ntrace: [x]");
    }

    @Test
    void theLuaModulesOwnCodesGiveInvalidArgumentAndConflict() {
        StreamStoreException invalid = TarantoolErrors.of("publish_record",
                new CompletionException(boxError(4000, "invalid subject 'a b': whitespace")), null);
        assertThat(invalid).isInstanceOf(StoreInvalidArgumentException.class)
                .hasMessage("Tarantool call publish_record failed: invalid subject 'a b': whitespace");
        assertThat(invalid.reason()).isEqualTo("invalid subject 'a b': whitespace");

        assertThat(TarantoolErrors.of("ack_claimed", boxError(4009, "held by another consumer"), null))
                .isInstanceOf(StoreConflictException.class);
    }

    @Test
    void aReadOnlyRefusalIsReadOnlyAndWorthAnotherInstance() {
        RuntimeException readOnly = boxError(7, "Can't modify data on a read-only instance");
        assertThat(TarantoolErrors.of("publish_record", readOnly, null)).isInstanceOf(StoreReadOnlyException.class)
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(TarantoolErrors.isFailover(readOnly)).isTrue();
        assertThat(TarantoolErrors.isFailover(boxError(4000, "invalid subject"))).isFalse();
    }

    @Test
    void theTextDoesNotDecideTheType() {
        // a validation message that happens to say "read-only" is still the caller's mistake
        StreamStoreException error = TarantoolErrors.of("publish_record",
                boxError(4000, "invalid header 'read-only': reserved"), null);
        assertThat(error).isInstanceOf(StoreInvalidArgumentException.class);
        assertThat(TarantoolErrors.isFailover(boxError(4000, "invalid header 'read-only': reserved"))).isFalse();
    }

    @Test
    void otherServerCodesKeepTheirCodeInTheMessage() {
        StreamStoreException error = TarantoolErrors.of("f", boxError(32, "oops"), null);
        assertThat(error.getClass()).isEqualTo(StreamStoreException.class);
        assertThat(error).hasMessage("Tarantool call f failed: oops (code 32)");
    }

    @Test
    void aConnectionFailureIsUnavailableAndSaysWhereAndAsWhom() {
        StreamStoreException error = TarantoolErrors.of("get_schema_version",
                new TarantoolConnectionException(new java.net.ConnectException("Connection refused")),
                "127.0.0.1:1 as user 'app'");
        assertThat(error).isInstanceOf(StoreUnavailableException.class);
        assertThat(error.getMessage()).contains("127.0.0.1:1 as user 'app'").contains("check that it is running");
    }
}
