package io.minitoolstream.examples.files;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("fast")
class OutboxFileNamesTest {

    @Test
    void keepsPlainNames() {
        assertThat(OutboxFileNames.safeName("report 2024.pdf", 7)).isEqualTo("report 2024.pdf");
        assertThat(OutboxFileNames.safeName("a..b.txt", 7)).isEqualTo("a..b.txt");
    }

    @Test
    void stripsDirectories() {
        assertThat(OutboxFileNames.safeName("../../etc/passwd", 7)).isEqualTo("passwd");
        assertThat(OutboxFileNames.safeName("/abs/path/x.bin", 7)).isEqualTo("x.bin");
        assertThat(OutboxFileNames.safeName("..\\..\\win.ini", 7)).isEqualTo("win.ini");
    }

    @Test
    void fallsBackToTheSequenceForNamesThatAreNotFileNames() {
        for (String hostile : new String[] {null, "", ".", "..", "../..", "dir/", ".hidden", "a\u0000b", "x\ny",
                "C:evil", "x".repeat(256)}) {
            assertThat(OutboxFileNames.safeName(hostile, 42)).as(String.valueOf(hostile)).isEqualTo("42.bin");
        }
    }
}
