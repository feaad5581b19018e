package io.minitoolstream.examples.cleaner;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("fast")
class TtlPolicyTest {

    @Test
    void parsesWhitespaceSeparatedSubjectTtls() {
        TtlPolicy policy = TtlPolicy.parse("24h", " orders=7d\n audit.log=30m  a=b=c=90s ");
        assertThat(policy.getDefaultTtl().toHours()).isEqualTo(24);
        assertThat(policy.getSubjectTtls()).extracting(TtlPolicy.SubjectTtl::subject)
                .containsExactly("orders", "audit.log", "a=b=c");
        assertThat(policy.getSubjectTtls()).extracting(TtlPolicy.SubjectTtl::ttlSeconds)
                .containsExactly(7 * 86400L, 1800L, 90L);
        assertThat(policy.getSubjectTtls().get(2).subjectPath()).isEqualTo("a%3Db%3Dc");
    }

    @Test
    void noSubjectTtlsIsFine() {
        assertThat(TtlPolicy.parse("1h", "").getSubjectTtls()).isEmpty();
        assertThat(TtlPolicy.parse("1h", null).getSubjectTtls()).isEmpty();
    }

    @Test
    void rejectsWhatWouldDeleteTooMuchOrMeansNothing() {
        assertThatThrownBy(() -> TtlPolicy.parse("0s", "")).hasMessageContaining("default-ttl '0s'");
        assertThatThrownBy(() -> TtlPolicy.parse("soon", "")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> TtlPolicy.parse("1h", "orders")).hasMessageContaining("expected subject=duration");
        assertThatThrownBy(() -> TtlPolicy.parse("1h", "=5m")).hasMessageContaining("expected subject=duration");
        assertThatThrownBy(() -> TtlPolicy.parse("1h", "orders=500ms")).hasMessageContaining("at least 1s");
        assertThatThrownBy(() -> TtlPolicy.parse("1h", "a=1m a=2m")).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> TtlPolicy.parse("1h", "*=1m")).hasMessageContaining("invalid subject '*'");
    }
}
