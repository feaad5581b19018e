package io.minitoolstream.examples.grpc.auth;

import java.security.Key;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import javax.crypto.SecretKey;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Verifies a bearer JWT with nimbus-jose-jwt and returns what it grants.
 * <ul>
 * <li>Signature: {@code RS256} with the configured RSA public key, {@code HS256} with the configured secret; a
 * token whose {@code alg} has no configured key is rejected, and so are unsigned ({@code alg: none}) and encrypted
 * tokens. The key is chosen by the algorithm, never by the token, so an HS256 token "signed" with the RSA public
 * key's bytes is checked against the HS256 secret and fails.</li>
 * <li>Claims: {@code exp} required (a token without an end is never accepted), {@code exp} and {@code nbf}
 * checked with the configured clock skew; {@code iss} must equal the configured issuer and {@code aud} contain the
 * configured audience, when configured; {@code client_id} a non-blank string; {@code allowed_subjects} and
 * {@code permissions} lists of strings ({@link SubjectPatterns}, {@link Permission}), an absent list granting
 * nothing.</li>
 * </ul>
 * Rejections are {@link TokenRejectedException}s whose messages never contain the token.
 */
public final class TokenVerifier {

    static final String CLIENT_ID = "client_id";
    static final String ALLOWED_SUBJECTS = "allowed_subjects";
    static final String PERMISSIONS = "permissions";

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /**
     * At least one of {@code hs256Key} and {@code rs256Key}; {@code issuer} and {@code audience} may be null (not
     * checked).
     */
    public TokenVerifier(SecretKey hs256Key, RSAPublicKey rs256Key, String issuer, String audience,
            Duration clockSkew, Clock clock) {
        if (hs256Key == null && rs256Key == null) {
            throw new IllegalArgumentException("a token verifier needs an HS256 secret or an RS256 public key");
        }
        processor.setJWSKeySelector((header, context) -> {
            List<Key> keys = new ArrayList<>(1);
            if (JWSAlgorithm.HS256.equals(header.getAlgorithm()) && hs256Key != null) {
                keys.add(hs256Key);
            } else if (JWSAlgorithm.RS256.equals(header.getAlgorithm()) && rs256Key != null) {
                keys.add(rs256Key);
            }
            return keys;
        });
        JWTClaimsSet exactMatch = issuer == null ? null : new JWTClaimsSet.Builder().issuer(issuer).build();
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                audience == null ? null : Set.of(audience), exactMatch, Set.of("exp", CLIENT_ID), null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(Math.toIntExact(clockSkew.toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
    }

    public Grant verify(String token) throws TokenRejectedException {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            // The parser's message may quote the token's decoded parts.
            throw new TokenRejectedException("invalid token: not a well-formed JWT");
        } catch (BadJOSEException e) {
            // nimbus's reasons ("Expired JWT", "Signed JWT rejected: Invalid signature", ...) name claims, not
            // the token.
            throw new TokenRejectedException("invalid token: " + e.getMessage());
        } catch (JOSEException e) {
            throw new TokenRejectedException("invalid token: its signature could not be checked");
        }
        return grantOf(claims);
    }

    private static Grant grantOf(JWTClaimsSet claims) throws TokenRejectedException {
        String clientId;
        List<String> subjects;
        List<String> permissionNames;
        try {
            clientId = claims.getStringClaim(CLIENT_ID);
            subjects = claims.getStringListClaim(ALLOWED_SUBJECTS);
            permissionNames = claims.getStringListClaim(PERMISSIONS);
        } catch (ParseException e) {
            throw new TokenRejectedException("invalid token: " + CLIENT_ID + " must be a string, " + ALLOWED_SUBJECTS
                                             + " and " + PERMISSIONS + " lists of strings");
        }
        if (clientId == null || clientId.isBlank()) {
            throw new TokenRejectedException("invalid token: " + CLIENT_ID + " is blank");
        }
        try {
            SubjectPatterns patterns = SubjectPatterns.parse(subjects == null ? List.of() : subjects);
            Set<Permission> permissions = EnumSet.noneOf(Permission.class);
            for (String name : permissionNames == null ? List.<String>of() : permissionNames) {
                permissions.add(Permission.fromClaim(name));
            }
            return new Grant(clientId, patterns, permissions);
        } catch (IllegalArgumentException e) {
            throw new TokenRejectedException("invalid token of client '" + clientId + "': " + e.getMessage());
        }
    }
}
