package io.minitoolstream.examples.grpc.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;

import io.minitoolstream.examples.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("fast")
class AuthSettingsTest {

    private static Settings settings(Map<String, String> values) {
        CamelContext context = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.putAll(values);
        context.getPropertiesComponent().setInitialProperties(properties);
        return new Settings(context);
    }

    @Test
    void offByDefaultAndThenNoKeyIsRead() {
        AuthSettings off = AuthSettings.from(settings(Map.of(AuthSettings.HS256_SECRET, "short")));
        assertThat(off.enabled()).isFalse();
        assertThat(off.verifier(Clock.systemUTC())).isEmpty();
    }

    @Test
    void aShortSecretFailsNamingThePropertyButNotTheValue() {
        String secret = "only-31-bytes-long-secret-value";
        assertThat(secret).hasSize(31);
        assertThatThrownBy(() -> AuthSettings.from(settings(Map.of(AuthSettings.ENABLED, "true",
                AuthSettings.HS256_SECRET, secret))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minitoolstream.auth.hs256-secret")
                .hasMessageContaining("32 bytes")
                .hasMessageNotContaining(secret);
    }

    @Test
    void enabledWithoutAnyKeyFails() {
        assertThatThrownBy(() -> AuthSettings.from(settings(Map.of(AuthSettings.ENABLED, "true"))))
                .hasMessageContaining("minitoolstream.auth.hs256-secret")
                .hasMessageContaining("minitoolstream.auth.rs256-public-key");
        assertThatThrownBy(() -> AuthSettings.from(settings(Map.of(AuthSettings.ENABLED, "yes"))))
                .hasMessageContaining("minitoolstream.auth.enabled 'yes'");
    }

    @Test
    void thePublicKeyIsReadFromPemTextOrAFile(@TempDir Path dir) throws Exception {
        AuthSettings inline = AuthSettings.from(settings(Map.of(AuthSettings.ENABLED, "true",
                AuthSettings.RS256_PUBLIC_KEY, TestTokens.rs256PublicKeyPem())));
        String token = TestTokens.rs256(TestTokens.claims("c", java.util.List.of("fetch"), java.util.List.of("*")));
        assertThat(inline.verifier(Clock.systemUTC()).orElseThrow().verify(token).clientId()).isEqualTo("c");

        Path file = Files.writeString(dir.resolve("issuer.pem"), TestTokens.rs256PublicKeyPem());
        AuthSettings fromFile = AuthSettings.from(settings(Map.of(AuthSettings.ENABLED, "true",
                AuthSettings.RS256_PUBLIC_KEY, "file:" + file)));
        assertThat(fromFile.verifier(Clock.systemUTC()).orElseThrow().verify(token).clientId()).isEqualTo("c");
        assertThat(fromFile.toString()).contains("RS256").doesNotContain("HS256");

        assertThatThrownBy(() -> AuthSettings.from(settings(Map.of(AuthSettings.ENABLED, "true",
                AuthSettings.RS256_PUBLIC_KEY, "file:" + dir.resolve("missing.pem")))))
                .hasMessageContaining("minitoolstream.auth.rs256-public-key").hasMessageContaining("missing.pem");
    }

    @Test
    void badPublicKeysFailNamingTheProperty() throws Exception {
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        Map<String, String> problems = Map.of(
                "not a pem", "no PEM block",
                TestTokens.pem("PUBLIC KEY", small.generateKeyPair().getPublic().getEncoded()), "1024-bit",
                TestTokens.pem("PUBLIC KEY", ec.generateKeyPair().getPublic().getEncoded()), "not an RSA public key",
                TestTokens.pem("PRIVATE KEY", new byte[] {1, 2, 3}), "not a public key",
                TestTokens.pem("RSA PUBLIC KEY", new byte[] {1, 2, 3}), "PKCS#1");
        problems.forEach((pem, reason) -> assertThatThrownBy(() -> AuthSettings.from(settings(Map.of(
                AuthSettings.ENABLED, "true", AuthSettings.RS256_PUBLIC_KEY, pem))))
                .as(reason).hasMessageContaining("minitoolstream.auth.rs256-public-key").hasMessageContaining(reason));
    }

    @Test
    void toStringNamesWhatIsCheckedNeverTheSecret() {
        AuthSettings on = AuthSettings.from(settings(Map.of(AuthSettings.ENABLED, "true",
                AuthSettings.HS256_SECRET, TestTokens.HS256_SECRET, AuthSettings.ISSUER, "https://idp.example")));
        assertThat(on.toString()).contains("HS256", "'https://idp.example'", "audience not checked")
                .doesNotContain(TestTokens.HS256_SECRET);
    }
}
