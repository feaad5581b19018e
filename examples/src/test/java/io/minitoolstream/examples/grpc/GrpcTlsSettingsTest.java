package io.minitoolstream.examples.grpc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import io.minitoolstream.examples.Settings;
import io.minitoolstream.examples.grpc.auth.TestTokens;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start-up checks of the gRPC transport settings (no certificate is validated here, only the files). */
@Tag("fast")
class GrpcTlsSettingsTest {

    @TempDir
    static Path dir;
    private static Map<String, String> complete;

    @BeforeAll
    static void files() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), TestTokens.pem("CERTIFICATE", new byte[] {1}));
        Path key = Files.writeString(dir.resolve("key.pem"), TestTokens.pem("PRIVATE KEY", new byte[] {1}));
        complete = Map.of(Settings.GRPC_NEGOTIATION_TYPE, "TLS",
                Settings.GRPC_TLS_CERT_CHAIN, "file:" + cert,
                Settings.GRPC_TLS_PRIVATE_KEY, "file:" + key,
                Settings.GRPC_TLS_CLIENT_CA, "file:" + cert);
    }

    private static boolean check(Map<String, String> values) {
        CamelContext context = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.putAll(values);
        context.getPropertiesComponent().setInitialProperties(properties);
        return GrpcTls.check(context, new Settings(context));
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> values = new HashMap<>(complete);
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
        return values;
    }

    @Test
    void plaintextByDefaultAndTlsWithAllThreeFiles() {
        assertThat(check(Map.of())).isFalse();
        assertThat(check(Map.of(Settings.GRPC_NEGOTIATION_TYPE, "plaintext",
                Settings.GRPC_TLS_CERT_CHAIN, "file:/nowhere"))).as("files are not read for plaintext").isFalse();
        assertThat(check(complete)).isTrue();
    }

    @Test
    void eachMissingFileIsNamed() {
        assertThatThrownBy(() -> check(with(Settings.GRPC_TLS_CLIENT_CA, null)))
                .hasMessageContaining("minitoolstream.grpc.tls.client-ca is not set")
                .hasMessageContaining("client certificates");
        assertThatThrownBy(() -> check(with(Settings.GRPC_TLS_CERT_CHAIN, null)))
                .hasMessageContaining("minitoolstream.grpc.tls.cert-chain is not set");
        assertThatThrownBy(() -> check(with(Settings.GRPC_TLS_PRIVATE_KEY, "file:" + dir.resolve("missing.pem"))))
                .hasMessageContaining("minitoolstream.grpc.tls.private-key").hasMessageContaining("missing.pem");
        assertThatThrownBy(() -> check(with(Settings.GRPC_TLS_CERT_CHAIN, "certs/nowhere.pem")))
                .hasMessageContaining("'certs/nowhere.pem': cannot read it (not found)");
        // Camel reads a plain path as a file too.
        assertThat(check(with(Settings.GRPC_TLS_CERT_CHAIN, dir.resolve("cert.pem").toString()))).isTrue();
    }

    @Test
    void wrongContentOrTypeIsNamed() throws Exception {
        Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"), TestTokens.pem("RSA PRIVATE KEY", new byte[] {1}));
        assertThatThrownBy(() -> check(with(Settings.GRPC_TLS_PRIVATE_KEY, "file:" + pkcs1)))
                .hasMessageContaining("minitoolstream.grpc.tls.private-key").hasMessageContaining("PKCS#8");
        assertThatThrownBy(() -> check(with(Settings.GRPC_TLS_CLIENT_CA, complete.get(Settings.GRPC_TLS_PRIVATE_KEY))))
                .hasMessageContaining("minitoolstream.grpc.tls.client-ca").hasMessageContaining("CERTIFICATE");
        assertThatThrownBy(() -> check(with(Settings.GRPC_NEGOTIATION_TYPE, "SSL")))
                .hasMessageContaining("minitoolstream.grpc.negotiation-type 'SSL'");
    }
}
