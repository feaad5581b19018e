package io.minitoolstream.examples;

import io.minitoolstream.camel.MiniToolStreamComponent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.minitoolstream.devservices.DevServicesExtension;
import io.minitoolstream.devservices.S3Server;
import io.minitoolstream.devservices.TarantoolServer;
import io.minitoolstream.examples.health.RoutesLiveness;
import io.minitoolstream.grpc.PublishResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The management server of the running application: /observe/health (live and ready) following the storage and
 * the routes, and /observe/metrics with the component's meters. Its S3 server is its own, because it stops it.
 */
@ExtendWith(DevServicesExtension.class)
class HealthAndMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STORAGE_CHECK = "minitoolstream-producers";
    private static final String READY = "/observe/health/ready?exposureLevel=full";
    private static final String LIVE = "/observe/health/live?exposureLevel=full";

    private static S3Server s3;
    private static RunningApp app;

    @BeforeAll
    static void start(TarantoolServer tarantool) throws Exception {
        s3 = S3Server.builder().build().start();
        app = RunningApp.start(tarantool, s3, Map.of("minitoolstream.files.enabled", "true"), context -> { });
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void healthIsUpAndReadinessListsTheComponentsStorageCheckOnce() throws Exception {
        // a producer per subject, and one storage check for all of them
        String subject = RunningApp.subject("health");
        assertThat(app.publish(subject, "x", Map.of()).getStatusCode()).isZero();

        ManagementHttp.Response health = ManagementHttp.get(app.managementPort, "/observe/health");
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");

        JsonNode ready = awaitReadiness("UP", 200);
        assertThat(check(ready, STORAGE_CHECK)).map(c -> c.path("status").asText()).contains("UP");
        assertThat(check(ready, "consumer:file-drop-out")).map(c -> c.path("status").asText()).contains("UP");
        assertThat(checkNames(ready)).containsOnlyOnce(STORAGE_CHECK)
                .doesNotContain(RoutesLiveness.ID);

        ManagementHttp.Response live = ManagementHttp.get(app.managementPort, LIVE);
        assertThat(live.status()).as(live.body()).isEqualTo(200);
        assertThat(checkNames(JSON.readTree(live.body()))).contains("context", RoutesLiveness.ID)
                .doesNotContain(STORAGE_CHECK, "consumer:file-drop-out");
    }

    @Test
    void readinessFollowsTheObjectStorageWhileLivenessStaysUp() throws Exception {
        awaitReadiness("UP", 200);
        s3.stop();
        try {
            JsonNode down = awaitReadiness("DOWN", 503);
            JsonNode storage = check(down, STORAGE_CHECK).orElseThrow();
            assertThat(storage.path("status").asText()).isEqualTo("DOWN");
            assertThat(storage.path("message").asText()).startsWith("Object storage does not answer");
            assertThat(ManagementHttp.get(app.managementPort, LIVE).status()).isEqualTo(200);
            // the default exposure level names the failing checks too
            ManagementHttp.Response plain = ManagementHttp.get(app.managementPort, "/observe/health/ready");
            assertThat(plain.status()).isEqualTo(503);
            assertThat(checkNames(JSON.readTree(plain.body()))).contains(STORAGE_CHECK);
        } finally {
            s3.start();
        }
        JsonNode up = awaitReadiness("UP", 200);
        assertThat(check(up, STORAGE_CHECK)).map(c -> c.path("status").asText()).contains("UP");
    }

    @Test
    void livenessGoesDownNamingARouteThatStopped() throws Exception {
        app.context().getRouteController().stopRoute("cleaner");
        try {
            ManagementHttp.Response live = ManagementHttp.get(app.managementPort, LIVE);
            assertThat(live.status()).as(live.body()).isEqualTo(503);
            assertThat(check(JSON.readTree(live.body()), RoutesLiveness.ID).orElseThrow().path("message").asText())
                    .isEqualTo("Routes not running: cleaner");
        } finally {
            app.context().getRouteController().startRoute("cleaner");
        }
        assertThat(ManagementHttp.get(app.managementPort, LIVE).status()).isEqualTo(200);
    }

    @Test
    void metricsCountWhatWasPublishedAndConsumedWithTheConsumersLag() throws Exception {
        int n = 5;
        for (int i = 0; i < n; i++) {
            PublishResponse response = app.publish(app.filesSubject, "file " + i,
                    Map.of(Keys.FILE_NAME_HEADER, "metrics-" + i + ".txt"));
            assertThat(response.getStatusCode()).as(response.getErrorMessage()).isZero();
        }
        String subject = "subject=\"" + app.filesSubject + "\"";
        String consumer = "durable=\"outbox\"," + subject;
        assertThat(SubscribeTest.waitUntil(() -> metric("minitoolstream_messages_consumed_total", consumer)
                .orElse(0.0) >= n, Duration.ofSeconds(30))).as("the outbox consumer took them").isTrue();

        assertThat(metric("minitoolstream_messages_published_total", "storage=\"inline\"," + subject))
                .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(n));
        assertThat(metric("minitoolstream_messages_consumed_total", consumer))
                .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(n));
        assertThat(metric("minitoolstream_bytes_consumed_bytes_total", consumer))
                .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(n * "file 0".length()));
        // caught up: nothing after the consumer's position
        assertThat(SubscribeTest.waitUntil(() -> metric("minitoolstream_consumer_lag", consumer).orElse(-1.0) == 0.0,
                Duration.ofSeconds(10))).isTrue();
        // the registry scraped is the one the component autowired
        MeterRegistry scraped = app.context().getRegistry().findSingleByType(MeterRegistry.class);
        assertThat(app.context().getComponent("minitoolstream", MiniToolStreamComponent.class).getConfiguration()
                .getMeterRegistry()).isNotNull().isSameAs(scraped);
    }

    /** Waits until readiness answers {@code state} with {@code status}; returns the answer. */
    private static JsonNode awaitReadiness(String state, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ManagementHttp.Response response;
        do {
            response = ManagementHttp.get(app.managementPort, READY);
            if (response.status() == status && JSON.readTree(response.body()).path("status").asText().equals(state)) {
                return JSON.readTree(response.body());
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("readiness never became " + state + "/" + status + ": " + response);
    }

    private static Optional<JsonNode> check(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return Optional.of(check);
            }
        }
        return Optional.empty();
    }

    private static List<String> checkNames(JsonNode health) {
        return health.path("checks").findValuesAsText("name");
    }

    /** The value of the Prometheus sample {@code name{labels}} from /observe/metrics. */
    private static Optional<Double> metric(String name, String labels) {
        try {
            ManagementHttp.Response response = ManagementHttp.get(app.managementPort, "/observe/metrics");
            assertThat(response.status()).isEqualTo(200);
            String prefix = name + "{" + labels + "} ";
            return response.body().lines().filter(line -> line.startsWith(prefix))
                    .map(line -> Double.parseDouble(line.substring(prefix.length()).trim())).findFirst();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
