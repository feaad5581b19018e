package io.minitoolstream.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.S3Server;
import io.minitoolstream.devservices.TarantoolServer;
import io.minitoolstream.grpc.Message;
import io.minitoolstream.grpc.PublishResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The Tarantool password, the S3 keys and the JWT keys come from HashiCorp Vault (KV v2, through Camel's
 * {@code hashicorp:} placeholders): servers whose credentials exist only in a fake Vault, and the application
 * reaching them. A wrong Vault token stops the startup at once with an error that names the secret, not its values.
 * Also what the Kubernetes docs rely on: credentials rendered into a file work; Vault settings in such a file do not.
 */
class VaultSecretsTest {

    private static final String TOKEN = "hvs.test-" + Long.toHexString(System.nanoTime());
    private static final String PASSWORD = "tarantool-pw-from-vault-" + Long.toHexString(System.nanoTime());
    private static final String ACCESS_KEY = "vault-access-key";
    private static final String SECRET_KEY = "s3-secret-from-vault-" + Long.toHexString(System.nanoTime());
    private static final String HS256 = "hs256-from-vault-" + Long.toHexString(System.nanoTime());
    private static final String RS256_PUBLIC = "-----BEGIN PUBLIC KEY-----\nMFkwEw==\n-----END PUBLIC KEY-----";
    private static final String SECRET_PATH = "/v1/secret/data/minitoolstream";

    private static DevServices services;
    private static FakeVault vault;

    @BeforeAll
    static void start() throws Exception {
        services = new DevServices(TarantoolServer.builder().password(PASSWORD).build(),
                S3Server.builder().accessKey(ACCESS_KEY).secretKey(SECRET_KEY).build()).start();
        vault = FakeVault.start(TOKEN);
        vault.put("secret", "minitoolstream", Map.of("tarantool-password", PASSWORD, "s3-access-key", ACCESS_KEY,
                "s3-secret-key", SECRET_KEY, "jwt-hs256-secret", HS256, "jwt-rs256-public-key", RS256_PUBLIC));
    }

    @AfterAll
    static void stop() {
        if (vault != null) {
            vault.close();
        }
        if (services != null) {
            services.close();
        }
    }

    /** The application's properties: every credential is a Vault placeholder (RunningApp's plain ones replaced). */
    static Map<String, String> credentialsFromVault() {
        Map<String, String> properties = new HashMap<>();
        properties.put("camel.component.minitoolstream.password",
                "{{hashicorp:secret:minitoolstream#tarantool-password}}");
        properties.put("camel.component.minitoolstream.access-key",
                "{{hashicorp:secret:minitoolstream#s3-access-key}}");
        properties.put("camel.component.minitoolstream.secret-key",
                "{{hashicorp:secret:minitoolstream#s3-secret-key}}");
        properties.put("minitoolstream.auth.hs256-secret", "{{hashicorp:secret:minitoolstream#jwt-hs256-secret}}");
        properties.put("minitoolstream.auth.rs256-public-key",
                "{{hashicorp:secret:minitoolstream#jwt-rs256-public-key}}");
        return properties;
    }

    static Map<String, String> vaultSettings(FakeVault vault, String token) {
        return Map.of("camel.vault.hashicorp.token", token, "camel.vault.hashicorp.host", "127.0.0.1",
                "camel.vault.hashicorp.port", String.valueOf(vault.port()), "camel.vault.hashicorp.scheme", "http");
    }

    @Test
    void theApplicationRunsOnCredentialsThatOnlyVaultHas() throws Exception {
        Map<String, String> properties = credentialsFromVault();
        properties.putAll(vaultSettings(vault, TOKEN));
        AtomicReference<String> hs256 = new AtomicReference<>();
        AtomicReference<String> rs256 = new AtomicReference<>();
        int requestsBefore = vault.requests().size();

        // The JWT settings are read the way the gRPC auth code reads its configuration: through Camel's properties.
        try (RunningApp app = RunningApp.start(services.tarantool(), services.s3(), properties, context -> {
            hs256.set(context.getPropertiesComponent().resolveProperty("minitoolstream.auth.hs256-secret")
                    .orElse(null));
            rs256.set(context.getPropertiesComponent().resolveProperty("minitoolstream.auth.rs256-public-key")
                    .orElse(null));
        })) {
            publishAndFetchInlineAndThroughS3(app);
        }
        assertThat(hs256.get()).isEqualTo(HS256);
        assertThat(rs256.get()).isEqualTo(RS256_PUBLIC);
        List<FakeVault.Request> requests = vault.requests().subList(requestsBefore, vault.requests().size());
        // one read per placeholder: password, access key, secret key, and the two JWT keys
        assertThat(requests).hasSizeGreaterThanOrEqualTo(5).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.path()).isEqualTo(SECRET_PATH);
            assertThat(request.token()).isEqualTo(TOKEN);
        });
    }

    /**
     * What the Kubernetes docs recommend with the Vault Agent injector: the agent renders the credentials into a
     * properties file, camel.main.file-configurations loads it, and its values win over every other source.
     */
    @Test
    void credentialsRenderedIntoAFileAreUsed(@TempDir Path secrets) throws Exception {
        Files.writeString(secrets.resolve("minitoolstream.properties"), String.join("\n",
                "camel.component.minitoolstream.password = " + PASSWORD,
                "camel.component.minitoolstream.access-key = " + ACCESS_KEY,
                "camel.component.minitoolstream.secret-key = " + SECRET_KEY, ""));
        Map<String, String> properties = new HashMap<>();
        properties.put("camel.main.file-configurations", secrets + "/*.properties");
        // Wrong values from the other sources: only the file's may reach the servers.
        properties.put("camel.component.minitoolstream.password", "not-the-password");
        properties.put("camel.component.minitoolstream.secret-key", "not-the-secret-key");

        try (RunningApp app = RunningApp.start(services.tarantool(), services.s3(), properties, context -> { })) {
            publishAndFetchInlineAndThroughS3(app);
        }
    }

    /**
     * Camel 4.17 configures its Vault client before it loads camel.main.file-configurations, so the Vault settings
     * cannot come from such a file (the Kubernetes docs say so and pass the token as an environment variable).
     */
    @Test
    void vaultSettingsInAFileConfigurationAreReadTooLate(@TempDir Path config) throws Exception {
        StringBuilder file = new StringBuilder();
        vaultSettings(vault, TOKEN).forEach((key, value) -> file.append(key).append(" = ").append(value).append('\n'));
        Files.writeString(config.resolve("vault.properties"), file);
        Map<String, String> properties = credentialsFromVault();
        properties.put("camel.main.file-configurations", config + "/*.properties");

        Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> catchThrowable(
                () -> RunningApp.start(services.tarantool(), services.s3(), properties, context -> { }).close()));

        assertThat(failure).isNotNull();
        assertThat(FailureText.of(failure)).contains("requires setting Token, Host, port and scheme");
    }

    private static void publishAndFetchInlineAndThroughS3(RunningApp app) {
        String subject = RunningApp.subject("vault");
        // 100 KB: above the inline threshold, so the payload goes through S3 with the keys from Vault.
        String large = "v".repeat(100 * 1024);
        PublishResponse small = app.publish(subject, "inline", Map.of());
        PublishResponse big = app.publish(subject, large, Map.of());
        assertThat(small.getStatusCode()).as(small.getErrorMessage()).isZero();
        assertThat(big.getStatusCode()).as(big.getErrorMessage()).isZero();
        assertThat(big.getObjectName()).isNotEmpty();
        List<Message> fetched = app.fetch(subject, "reader", 10);
        assertThat(fetched).extracting(m -> m.getData().toStringUtf8()).containsExactly("inline", large);
    }

    @Test
    void aWrongVaultTokenFailsTheStartupPromptlyNamingTheSecretButNoValue() {
        String wrongToken = "hvs.wrong-" + Long.toHexString(System.nanoTime());
        Map<String, String> properties = credentialsFromVault();
        properties.putAll(vaultSettings(vault, wrongToken));
        int requestsBefore = vault.requests().size();

        Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> catchThrowable(
                () -> RunningApp.start(services.tarantool(), services.s3(), properties, context -> { }).close()));

        assertThat(failure).as("the startup failed").isNotNull();
        String messages = FailureText.of(failure);
        assertThat(messages).contains("minitoolstream").containsIgnoringCase("permission denied");
        assertThat(messages).doesNotContain(PASSWORD, SECRET_KEY, HS256, TOKEN, wrongToken);
        assertThat(vault.requests().subList(requestsBefore, vault.requests().size()))
                .isNotEmpty().allSatisfy(request -> assertThat(request.token()).isEqualTo(wrongToken));
    }
}
