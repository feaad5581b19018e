package io.minitoolstream.examples.grpc.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("fast")
class TokenVerifierTest {

    private static final Duration SKEW = Duration.ofSeconds(30);

    private static TokenVerifier both() {
        return verifier(true, true, null, null);
    }

    private static TokenVerifier verifier(boolean hs256, boolean rs256, String issuer, String audience) {
        return new TokenVerifier(
                hs256 ? new SecretKeySpec(TestTokens.HS256_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256")
                        : null,
                rs256 ? TestTokens.rs256PublicKey() : null, issuer, audience, SKEW, Clock.systemUTC());
    }

    private static JWTClaimsSet.Builder billing() {
        return TestTokens.claims("billing", List.of("fetch", "ack"), List.of("orders.*", "invoices"));
    }

    @Test
    void hs256AndRs256TokensGiveTheirGrant() throws TokenRejectedException {
        for (String token : List.of(TestTokens.hs256(billing()), TestTokens.rs256(billing()))) {
            Grant grant = both().verify(token);
            assertThat(grant.clientId()).isEqualTo("billing");
            assertThat(grant.permissions()).isEqualTo(EnumSet.of(Permission.FETCH, Permission.ACK));
            assertThat(grant.subjects().matches("orders.eu")).isTrue();
            assertThat(grant.subjects().matches("invoices")).isTrue();
            assertThat(grant.subjects().matches("audit")).isFalse();
        }
    }

    @Test
    void aWrongSignatureIsRejected() {
        String otherSecret = "another-secret-that-is-long-enough-for-hs256!";
        rejected(both(), TestTokens.hs256(billing(), otherSecret.getBytes(StandardCharsets.UTF_8)), "signature");
        rejected(both(), TestTokens.rs256WithOtherKey(billing()), "signature");
        // A token whose payload was changed after signing.
        String[] parts = TestTokens.hs256(billing()).split("\\.");
        String forged = parts[0] + "." + TestTokens.hs256(TestTokens.claims("admin", List.of("publish"),
                List.of("*"))).split("\\.")[1] + "." + parts[2];
        rejected(both(), forged, "signature");
    }

    @Test
    void unsignedTokensAreRejected() {
        rejected(both(), TestTokens.unsigned(billing()), "invalid token");
    }

    @Test
    void anHs256TokenSignedWithThePublicKeyIsRejected() {
        rejected(both(), TestTokens.hs256WithPublicKeyAsSecret(billing()), "signature");
        // Without an HS256 secret there is no key for HS256 at all.
        rejected(verifier(false, true, null, null), TestTokens.hs256WithPublicKeyAsSecret(billing()),
                "no matching key");
    }

    @Test
    void onlyTheConfiguredAlgorithmsAreAccepted() throws TokenRejectedException {
        rejected(verifier(true, false, null, null), TestTokens.rs256(billing()), "no matching key");
        rejected(verifier(false, true, null, null), TestTokens.hs256(billing()), "no matching key");
        assertThat(verifier(true, false, null, null).verify(TestTokens.hs256(billing())).clientId())
                .isEqualTo("billing");
    }

    @Test
    void expiryAndNotBeforeAreCheckedWithTheClockSkew() throws TokenRejectedException {
        Instant now = Instant.now();
        rejected(both(), TestTokens.hs256(billing().expirationTime(Date.from(now.minusSeconds(120)))), "Expired");
        rejected(both(), TestTokens.hs256(billing().notBeforeTime(Date.from(now.plusSeconds(120)))), "before");
        // Within the skew both are still fine.
        assertThat(both().verify(TestTokens.hs256(billing().expirationTime(Date.from(now.minusSeconds(10))))))
                .isNotNull();
        assertThat(both().verify(TestTokens.hs256(billing().notBeforeTime(Date.from(now.plusSeconds(10))))))
                .isNotNull();
    }

    @Test
    void aTokenWithoutExpiryOrClientIdIsRejected() {
        rejected(both(), TestTokens.hs256(billing().expirationTime(null)), "exp");
        rejected(both(), TestTokens.hs256(billing().claim("client_id", null)), "client_id");
        rejected(both(), TestTokens.hs256(billing().claim("client_id", " ")), "client_id");
        rejected(both(), TestTokens.hs256(billing().claim("client_id", 42)), "client_id");
    }

    @Test
    void malformedGrantClaimsAreRejected() {
        rejected(both(), TestTokens.hs256(billing().claim("permissions", List.of("fetch", "pubish"))), "'pubish'");
        rejected(both(), TestTokens.hs256(billing().claim("permissions", "fetch")), "permissions");
        rejected(both(), TestTokens.hs256(billing().claim("allowed_subjects", List.of("orders*"))), "'orders*'");
        rejected(both(), "not.a.jwt", "not a well-formed JWT");
        rejected(both(), "", "not a well-formed JWT");
    }

    @Test
    void absentGrantClaimsGrantNothing() throws TokenRejectedException {
        Grant grant = both().verify(TestTokens.hs256(billing().claim("permissions", null)
                .claim("allowed_subjects", null)));
        assertThat(grant.permissions()).isEmpty();
        assertThat(grant.subjects().matches("orders.eu")).isFalse();
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() throws TokenRejectedException {
        TokenVerifier strict = verifier(true, true, "https://idp.example", "minitoolstream");
        rejected(strict, TestTokens.hs256(billing()), "iss");
        rejected(strict, TestTokens.hs256(billing().issuer("https://evil.example").audience("minitoolstream")),
                "iss");
        rejected(strict, TestTokens.hs256(billing().issuer("https://idp.example").audience("other")), "aud claim");
        assertThat(strict.verify(TestTokens.rs256(billing().issuer("https://idp.example")
                .audience(List.of("other", "minitoolstream")))).clientId()).isEqualTo("billing");
        // Not configured: not checked.
        assertThat(both().verify(TestTokens.hs256(billing().issuer("anyone").audience("anything"))).clientId())
                .isEqualTo("billing");
    }

    private static void rejected(TokenVerifier verifier, String token, String reason) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(TokenRejectedException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TestTokens.HS256_SECRET))
                .satisfies(e -> {
                    if (!token.isEmpty()) {
                        assertThat(e.getMessage()).doesNotContain(token);
                    }
                });
    }
}
