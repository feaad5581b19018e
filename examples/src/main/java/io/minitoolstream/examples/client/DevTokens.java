package io.minitoolstream.examples.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints HS256 tokens in the shape the services check, for development and the docs (the demo client's
 * {@code token} command). Production tokens come from an identity provider, usually RS256.
 */
public final class DevTokens {

    private DevTokens() {
    }

    /**
     * A token valid from {@code now} for {@code ttl}; {@code issuer} and {@code audience} are left out when null.
     * {@code secret} must be at least 32 bytes (HS256).
     */
    public static String hs256(byte[] secret, String clientId, List<String> permissions, List<String> subjects,
            Duration ttl, String issuer, String audience, Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .claim("client_id", clientId)
                .claim("permissions", List.copyOf(permissions))
                .claim("allowed_subjects", List.copyOf(subjects))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)));
        if (issuer != null) {
            claims.issuer(issuer);
        }
        if (audience != null) {
            claims.audience(audience);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            // MACSigner refuses secrets under 256 bits; its message names the length, not the secret.
            throw new IllegalArgumentException("cannot sign an HS256 token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
