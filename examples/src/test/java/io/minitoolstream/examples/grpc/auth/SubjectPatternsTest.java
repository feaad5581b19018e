package io.minitoolstream.examples.grpc.auth;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("fast")
class SubjectPatternsTest {

    @Test
    void aPrefixPatternMatchesBelowTheDotOnly() {
        SubjectPatterns orders = SubjectPatterns.parse(List.of("orders.*"));
        assertThat(orders.matches("orders.eu")).isTrue();
        assertThat(orders.matches("orders.eu.west")).isTrue();
        assertThat(orders.matches("orders")).isFalse();
        assertThat(orders.matches("orders.")).isTrue();
        assertThat(orders.matches("ordersx.eu")).isFalse();
        assertThat(orders.matches("x.orders.eu")).isFalse();
    }

    @Test
    void anExactSubjectMatchesOnlyItself() {
        SubjectPatterns exact = SubjectPatterns.parse(List.of("orders"));
        assertThat(exact.matches("orders")).isTrue();
        assertThat(exact.matches("orders.eu")).isFalse();
        assertThat(exact.matches("Orders")).isFalse();
        assertThat(exact.matches("order")).isFalse();
    }

    @Test
    void aStarAloneMatchesEverySubject() {
        SubjectPatterns all = SubjectPatterns.parse(List.of("*"));
        assertThat(all.matches("orders")).isTrue();
        assertThat(all.matches("a.b.c")).isTrue();
    }

    @Test
    void anyEntryMayMatch() {
        SubjectPatterns some = SubjectPatterns.parse(List.of("billing", "orders.*"));
        assertThat(some.matches("billing")).isTrue();
        assertThat(some.matches("orders.eu")).isTrue();
        assertThat(some.matches("audit")).isFalse();
        assertThat(SubjectPatterns.parse(List.of()).matches("orders")).as("no entries grant nothing").isFalse();
    }

    @Test
    void aStarAnywhereElseIsRejected() {
        for (String bad : List.of("orders*", "*.eu", "orders.*.eu", "orders.**", ".*", "a*b")) {
            assertThatThrownBy(() -> SubjectPatterns.parse(List.of("ok", bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> SubjectPatterns.parse(List.of(""))).hasMessageContaining("empty");
    }
}
