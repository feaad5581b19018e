package io.minitoolstream.devservices;

import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("fast")
class GeneratedStreamTest {

    @Test
    void sameLengthAndSeedGiveTheSameBytesAndTheAnnouncedHash() throws Exception {
        byte[] first = new GeneratedStream(100_003, 7).readAllBytes();
        byte[] second = new GeneratedStream(100_003, 7).readAllBytes();
        assertThat(first).hasSize(100_003).isEqualTo(second);
        assertThat(new GeneratedStream(100_003, 8).readAllBytes()).isNotEqualTo(first);
        String independent = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(first));
        assertThat(GeneratedStream.sha256Of(100_003, 7)).isEqualTo(independent);
    }

    @Test
    void mixedSingleAndBulkReadsHashWhatWasRead() throws Exception {
        GeneratedStream stream = new GeneratedStream(10, 3);
        byte[] bytes = new byte[10];
        bytes[0] = (byte) stream.read();
        assertThat(stream.read(bytes, 1, 9)).isEqualTo(9);
        assertThat(stream.read()).isEqualTo(-1);
        assertThat(stream.position()).isEqualTo(10);
        assertThat(stream.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertThat(bytes).isEqualTo(new GeneratedStream(10, 3).readAllBytes());
    }
}
