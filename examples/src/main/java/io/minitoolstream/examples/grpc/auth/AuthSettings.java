package io.minitoolstream.examples.grpc.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import io.minitoolstream.examples.Settings;

/**
 * Builds the {@link TokenVerifier} that {@code minitoolstream.auth.*} asks for, failing at start with an error
 * naming the bad property. A secret's value never appears in a message, log line or {@code toString}.
 */
public final class AuthSettings {

    public static final String ENABLED = "minitoolstream.auth.enabled";
    public static final String HS256_SECRET = "minitoolstream.auth.hs256-secret";
    public static final String RS256_PUBLIC_KEY = "minitoolstream.auth.rs256-public-key";
    public static final String ISSUER = "minitoolstream.auth.issuer";
    public static final String AUDIENCE = "minitoolstream.auth.audience";
    public static final String CLOCK_SKEW = "minitoolstream.auth.clock-skew";
    /** HS256 is only as strong as its key: RFC 7518 section 3.2 asks for at least the hash size, 256 bits. */
    public static final int MIN_HS256_SECRET_BYTES = 32;
    private static final String FILE_PREFIX = "file:";

    private final boolean enabled;
    private final SecretKey hs256Key;
    private final RSAPublicKey rs256Key;
    private final String issuer;
    private final String audience;
    private final Duration clockSkew;

    private AuthSettings(boolean enabled, SecretKey hs256Key, RSAPublicKey rs256Key, String issuer, String audience,
            Duration clockSkew) {
        this.enabled = enabled;
        this.hs256Key = hs256Key;
        this.rs256Key = rs256Key;
        this.issuer = issuer;
        this.audience = audience;
        this.clockSkew = clockSkew;
    }

    /** Reads and checks the settings; the keys are read only when authentication is enabled. */
    public static AuthSettings from(Settings settings) {
        if (!settings.bool(ENABLED, false)) {
            return new AuthSettings(false, null, null, null, null, Duration.ZERO);
        }
        SecretKey hs256Key = hs256Key(settings.text(HS256_SECRET, null));
        String pem = settings.text(RS256_PUBLIC_KEY, null);
        RSAPublicKey rs256Key = pem == null ? null : PemKeys.rsaPublicKey(RS256_PUBLIC_KEY, readPem(pem));
        if (hs256Key == null && rs256Key == null) {
            throw new IllegalArgumentException(ENABLED + " is true but neither " + HS256_SECRET + " nor "
                                               + RS256_PUBLIC_KEY + " is set: tokens could not be verified");
        }
        return new AuthSettings(true, hs256Key, rs256Key, settings.text(ISSUER, null),
                settings.text(AUDIENCE, null), settings.duration(CLOCK_SKEW, "30s"));
    }

    private static SecretKey hs256Key(String secret) {
        if (secret == null) {
            return null;
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_HS256_SECRET_BYTES) {
            throw new IllegalArgumentException("invalid " + HS256_SECRET + ": HS256 needs a secret of at least "
                                               + MIN_HS256_SECRET_BYTES + " bytes (the value is not shown)");
        }
        return new SecretKeySpec(bytes, "HmacSHA256");
    }

    /** PEM text as is, or {@code file:<path>} to read it from a file. */
    private static String readPem(String value) {
        if (!value.startsWith(FILE_PREFIX)) {
            return value;
        }
        Path path = Path.of(value.substring(FILE_PREFIX.length()));
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid " + RS256_PUBLIC_KEY + " '" + value + "': cannot read "
                                               + path + ": " + e, e);
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** The verifier; empty when authentication is off. */
    public Optional<TokenVerifier> verifier(Clock clock) {
        return enabled ? Optional.of(new TokenVerifier(hs256Key, rs256Key, issuer, audience, clockSkew, clock))
                : Optional.empty();
    }

    /** What is checked, for the start-up log; names algorithms, never keys. */
    @Override
    public String toString() {
        if (!enabled) {
            return "authentication off";
        }
        List<String> parts = new ArrayList<>();
        parts.add("algorithms " + (hs256Key != null && rs256Key != null ? "HS256, RS256"
                : hs256Key != null ? "HS256" : "RS256"));
        parts.add("issuer " + (issuer == null ? "not checked" : "'" + issuer + "'"));
        parts.add("audience " + (audience == null ? "not checked" : "'" + audience + "'"));
        parts.add("clock skew " + clockSkew.toSeconds() + "s");
        return "bearer JWT on every call: " + String.join(", ", parts);
    }
}
