package io.minitoolstream.camel;

import java.util.List;
import java.util.Optional;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Readiness follows Tarantool and the object store, with a message that says which one is missing. */
class HealthCheckTest extends ComponentTestSupport {

    @AfterEach
    void serversBackUp() {
        services.tarantool().start();
        services.s3().start();
    }

    /** Registers the consumers repository, as camel-main does from its camel.health settings. */
    @BeforeEach
    void enableConsumerChecks() {
        HealthCheckRegistry registry = HealthCheckHelper.getHealthCheckRegistry(context);
        registry.register(registry.resolveById("consumers"));
    }

    /** Camel's check of the route's consumer, which asks the consumer's own check. */
    private Optional<HealthCheck.Result> consumerReadiness() {
        return HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().startsWith("consumer:")).findFirst();
    }

    @Test
    void readinessIsUpWithBothStoresAndDownNamingTheOneThatIsGone() throws Exception {
        List<Delivery> ignored = syncList();
        context.addRoutes(recordingRoute(uri("durable=health&requestTimeout=1500&connectTimeout=1000"), ignored));
        template.requestBody(uri("operation=getLastSequence"), null, Long.class);

        // Camel reports a consumer that has not polled yet as DOWN
        await("the first poll", 10_000,
                () -> consumerReadiness().map(r -> r.getState() == HealthCheck.State.UP).orElse(false));
        HealthCheck.Result up = consumerReadiness().orElseThrow();
        assertThat(up.getState()).as(up.getMessage() + " " + up.getDetails()).isEqualTo(HealthCheck.State.UP);
        assertThat((Long) consumerReadiness().get().getDetails().get("tarantool.schema.version"))
                .isGreaterThanOrEqualTo(StorageHealthCheck.REQUIRED_SCHEMA_VERSION);

        services.s3().stop();
        HealthCheck.Result s3Down = consumerReadiness().orElseThrow();
        assertThat(s3Down.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(s3Down.getMessage()).get().asString().contains("Object storage does not answer");
        services.s3().start();

        services.tarantool().stop();
        HealthCheck.Result tarantoolDown = consumerReadiness().orElseThrow();
        assertThat(tarantoolDown.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(tarantoolDown.getMessage()).get().asString().contains("Tarantool does not answer");
        services.tarantool().start();

        await("readiness back up", 20_000,
                () -> consumerReadiness().map(r -> r.getState() == HealthCheck.State.UP).orElse(false));
    }

    @Test
    void producersRegisterAReadinessCheckWhileTheyRun() throws Exception {
        HealthCheckHelper.getHealthCheckRepository(context, "producers").setEnabled(true);
        var producer = context.getEndpoint(uri("")).createProducer();
        producer.start();
        try {
            assertThat(HealthCheckHelper.invokeReadiness(context)).anySatisfy(r -> {
                assertThat(r.getCheck().getId()).isEqualTo("minitoolstream-producer-" + subject);
                assertThat(r.getState()).isEqualTo(HealthCheck.State.UP);
            });
        } finally {
            producer.stop();
        }
        assertThat(HealthCheckHelper.invokeReadiness(context))
                .noneMatch(r -> r.getCheck().getId().startsWith("minitoolstream-producer-"));
    }
}
