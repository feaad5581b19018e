package io.minitoolstream.camel.consumer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The redeliveryBackoff option (pure logic, no server). */
@Tag("fast")
class RedeliveryBackoffTest {

    @Test
    void theNthRedeliveryWaitsTheNthValueAndTheLastRepeats() {
        RedeliveryBackoff backoff = RedeliveryBackoff.parse("1s, 5s,30s");
        assertThat(backoff.afterDelivery(1)).isEqualTo(1_000);
        assertThat(backoff.afterDelivery(2)).isEqualTo(5_000);
        assertThat(backoff.afterDelivery(3)).isEqualTo(30_000);
        assertThat(backoff.afterDelivery(9)).isEqualTo(30_000);
        assertThat(backoff.secondsAfterDelivery(2)).isEqualTo(5.0);
    }

    @Test
    void noneMeansAtOnceAndPlainNumbersAreMilliseconds() {
        assertThat(RedeliveryBackoff.parse(null).afterDelivery(3)).isZero();
        assertThat(RedeliveryBackoff.parse("").afterDelivery(1)).isZero();
        assertThat(RedeliveryBackoff.parse("250").afterDelivery(1)).isEqualTo(250);
    }

    @Test
    void aBadEntryIsRefusedNamingIt() {
        assertThatThrownBy(() -> RedeliveryBackoff.parse("1s,,2s")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("''");
        assertThatThrownBy(() -> RedeliveryBackoff.parse("1s,soon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'soon'").hasMessageContaining("redeliveryBackoff");
    }
}
