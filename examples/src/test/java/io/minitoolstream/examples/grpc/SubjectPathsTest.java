package io.minitoolstream.examples.grpc;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("fast")
class SubjectPathsTest {

    @Test
    void encodesEverythingOutsideTheUnreservedSet() {
        assertThat(SubjectPaths.of("orders.eu-1_x~")).isEqualTo("orders.eu-1_x~");
        assertThat(SubjectPaths.of("a&b=c#d/e")).isEqualTo("a%26b%3Dc%23d%2Fe");
        assertThat(SubjectPaths.of("{{env:X}}")).isEqualTo("%7B%7Benv%3AX%7D%7D");
        assertThat(SubjectPaths.of("ü")).isEqualTo("%C3%BC");
    }

    @Test
    void rejectsSubjectsNoEndpointUriCanCarry() {
        assertThatThrownBy(() -> SubjectPaths.of("")).hasMessage("invalid subject '': must not be empty");
        assertThatThrownBy(() -> SubjectPaths.of("a b")).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> SubjectPaths.of("a?b")).hasMessageContaining("'?' is not supported");
        assertThatThrownBy(() -> SubjectPaths.of("a%41")).hasMessageContaining("'%' is not supported");
        assertThatThrownBy(() -> SubjectPaths.of("//a")).hasMessageContaining("leading '//'");
        assertThatThrownBy(() -> SubjectPaths.of("*")).hasMessageContaining("every subject");
    }
}
