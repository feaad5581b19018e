package io.minitoolstream.examples;

import io.minitoolstream.camel.MiniToolStreamComponent;
import io.minitoolstream.camel.MiniToolStreamEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.DevServicesExtension;
import io.minitoolstream.grpc.AckRequest;
import io.minitoolstream.grpc.FetchRequest;
import io.minitoolstream.grpc.Message;
import io.minitoolstream.grpc.PublishResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A whole run of the application (credentials and JWT keys from Vault; its logback.xml with DEBUG for the
 * application, Camel and the clients): start, publish and fetch, failing requests, stop. No credential appears in
 * any log line or stack trace, nor in the toString of the component, its configuration or its endpoints.
 */
@ExtendWith(DevServicesExtension.class)
class SecretsNotLoggedTest {

    private static final String TOKEN = "hvs.leak-check-" + Long.toHexString(System.nanoTime());
    private static final String HS256 = "hs256-leak-check-" + Long.toHexString(System.nanoTime());
    private static final String[] DEBUG_LOGGERS = {"io.minitoolstream", "org.apache.camel", "org.springframework",
        "io.tarantool", "io.minio"};

    @Test
    void noSecretReachesTheLogsOrAnyToStringDuringAFullRun(DevServices services) throws Exception {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("Tarantool password", services.tarantool().password());
        secrets.put("S3 secret key", services.s3().secretKey());
        secrets.put("Vault token", TOKEN);
        secrets.put("JWT HS256 secret", HS256);
        List<String> lines;
        List<String> toStrings = new ArrayList<>();
        try (FakeVault vault = FakeVault.start(TOKEN)) {
            vault.put("secret", "minitoolstream", Map.of("tarantool-password", services.tarantool().password(),
                    "s3-access-key", services.s3().accessKey(), "s3-secret-key", services.s3().secretKey(),
                    "jwt-hs256-secret", HS256, "jwt-rs256-public-key", "public"));
            Map<String, String> properties = VaultSecretsTest.credentialsFromVault();
            properties.putAll(VaultSecretsTest.vaultSettings(vault, TOKEN));
            try (CapturedLogs logs = CapturedLogs.applicationConfigurationWithDebug(DEBUG_LOGGERS)) {
                // Resolving the JWT secret at configuration time, as the gRPC auth code does.
                try (RunningApp app = RunningApp.start(services.tarantool(), services.s3(), properties, context ->
                        context.getPropertiesComponent().resolveProperty("minitoolstream.auth.hs256-secret"))) {
                    useTheServices(app);
                    failSomeRequests(app);
                    toStrings.addAll(toStrings(app.context()));
                }
                lines = logs.lines();
            }
        }

        assertThat(lines).as("DEBUG logging was on").anyMatch(line -> line.startsWith("DEBUG org.apache.camel.main"))
                .anyMatch(line -> line.startsWith("DEBUG io.minitoolstream"))
                .anyMatch(line -> line.startsWith("DEBUG org.springframework.web.client.RestTemplate"));
        // camel-main's startup summary lists the JWT secret's key, with the value masked
        assertThat(lines).as("the placeholder summary").anyMatch(line -> line.startsWith("INFO org.apache.camel.main")
                && line.endsWith("minitoolstream.auth.hs256-secret = xxxxxx"));
        assertThat(toStrings).as("toString of the component, its configuration, endpoints").hasSizeGreaterThan(3);
        secrets.forEach((what, secret) -> {
            assertThat(leaks(lines, secret)).as(what + " in log lines").isEmpty();
            assertThat(leaks(toStrings, secret)).as(what + " in toString()").isEmpty();
        });
    }

    private static void useTheServices(RunningApp app) {
        String subject = RunningApp.subject("leak");
        PublishResponse inline = app.publish(subject, "small", Map.of("kind", "test"));
        PublishResponse large = app.publish(subject, "L".repeat(100 * 1024), Map.of());
        assertThat(inline.getStatusCode()).as(inline.getErrorMessage()).isZero();
        assertThat(large.getStatusCode()).as(large.getErrorMessage()).isZero();
        List<Message> fetched = app.fetch(subject, "leak-reader", 10);
        assertThat(fetched).hasSize(2);
        assertThat(app.egress().ackMessage(AckRequest.newBuilder().setSubject(subject).setDurableName("leak-reader")
                .setSequence(fetched.get(1).getSequence()).build()).getSuccess()).isTrue();
    }

    /** The error paths: a bad Fetch, a bad Publish, an acknowledgement of a sequence that does not exist. */
    private static void failSomeRequests(RunningApp app) {
        StatusRuntimeException badFetch = catchThrowableOfType(StatusRuntimeException.class,
                () -> app.egress().fetch(FetchRequest.newBuilder().setSubject("leak").setDurableName("d")
                        .setBatchSize(0).build()).forEachRemaining(message -> { }));
        assertThat(badFetch.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(app.publish("bad subject", "x", Map.of()).getStatusCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(app.egress().ackMessage(AckRequest.newBuilder().setSubject(RunningApp.subject("none"))
                .setDurableName("d").setSequence(Long.MAX_VALUE).build()).getSuccess()).isFalse();
    }

    private static List<String> toStrings(CamelContext context) {
        List<String> texts = new ArrayList<>();
        MiniToolStreamComponent component = context.getComponent("minitoolstream", MiniToolStreamComponent.class);
        texts.add(component.toString());
        texts.add(component.getConfiguration().toString());
        for (Endpoint endpoint : context.getEndpoints()) {
            texts.add(endpoint.toString());
            texts.add(endpoint.getEndpointUri());
            if (endpoint instanceof MiniToolStreamEndpoint stream) {
                texts.add(stream.getConfiguration().toString());
            }
        }
        return texts;
    }

    /** Where a secret occurs, without repeating it (the test report must not leak it either). */
    private static List<String> leaks(List<String> texts, String secret) {
        return texts.stream().filter(text -> text.contains(secret))
                .map(text -> text.replace(secret, "<SECRET>")).toList();
    }
}
