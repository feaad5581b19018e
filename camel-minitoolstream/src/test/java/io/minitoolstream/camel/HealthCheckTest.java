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
                .as("the schema version the server reports").isPositive();

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
    void producersShareOneReadinessCheckPerSetOfStoresWhileAnyOfThemRuns() throws Exception {
        HealthCheckHelper.getHealthCheckRepository(context, "producers").setEnabled(true);
        var first = context.getEndpoint(uri("")).createProducer();
        var otherSubject = context.getEndpoint("minitoolstream:" + subject + "-other").createProducer();
        first.start();
        otherSubject.start();
        try {
            assertThat(producerChecks()).containsExactly("minitoolstream-producers");
            assertThat(HealthCheckHelper.invokeReadiness(context))
                    .filteredOn(r -> r.getCheck().getId().equals("minitoolstream-producers"))
                    .singleElement().satisfies(r -> assertThat(r.getState()).isEqualTo(HealthCheck.State.UP));
            first.stop();
            assertThat(producerChecks()).as("still held by the other producer").containsExactly("minitoolstream-producers");
        } finally {
            first.stop();
            otherSubject.stop();
        }
        assertThat(producerChecks()).isEmpty();
    }

    private List<String> producerChecks() {
        return HealthCheckHelper.invokeReadiness(context).stream().map(r -> r.getCheck().getId())
                .filter(id -> id.startsWith("minitoolstream-producers")).toList();
    }
}
