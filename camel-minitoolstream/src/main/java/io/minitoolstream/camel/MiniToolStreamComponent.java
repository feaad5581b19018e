package io.minitoolstream.camel;

import java.util.Map;

import io.minitoolstream.camel.health.ProducerHealthChecks;
import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StreamStore;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

/**
 * Creates minitoolstream endpoints. Connection options set on the component are copied into every endpoint, and
 * endpoints with equal connection settings share one Tarantool client and one S3 client.
 */
@Component("minitoolstream")
public class MiniToolStreamComponent extends HealthCheckComponent {

    @Metadata
    private MiniToolStreamConfiguration configuration = new MiniToolStreamConfiguration();

    private final StoreRegistry stores = new StoreRegistry();
    private final ProducerHealthChecks producerHealthChecks = new ProducerHealthChecks();
    private boolean environmentBound;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        bindEnvironmentVariables();
        MiniToolStreamConfiguration endpointConfiguration = configuration.copy();
        endpointConfiguration.setSubject(remaining);
        MiniToolStreamEndpoint endpoint = new MiniToolStreamEndpoint(uri, this, endpointConfiguration);
        setProperties(endpoint, parameters);
        ConfigurationValidator.validate(endpointConfiguration);
        return endpoint;
    }

    public MiniToolStreamConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The options every endpoint starts from; set connection options here once.
     */
    public void setConfiguration(MiniToolStreamConfiguration configuration) {
        this.configuration = configuration;
    }

    StreamStore streamStore(MiniToolStreamConfiguration endpointConfiguration) {
        return stores.streamStore(endpointConfiguration);
    }

    PayloadStore payloadStore(MiniToolStreamConfiguration endpointConfiguration) {
        return stores.payloadStore(endpointConfiguration, getCamelContext());
    }

    /** Registers the storage readiness check of a running producer's stores; one check per set of stores. */
    public ProducerHealthChecks.Hold holdProducerHealthCheck(StreamStore streams, PayloadStore payloads,
                                                         long timeoutMillis) {
        return producerHealthChecks.hold(getCamelContext(), streams, payloads, timeoutMillis,
                isHealthCheckProducerEnabled());
    }

    @Override
    protected void doStart() throws Exception {
        bindEnvironmentVariables();
        super.doStart();
    }

    /**
     * Binds {@code CAMEL_COMPONENT_MINITOOLSTREAM_*} environment variables once, before the first endpoint (after
     * camel-main applied properties files and system properties), see {@link EnvironmentOptions}.
     */
    private synchronized void bindEnvironmentVariables() {
        if (environmentBound) {
            return;
        }
        environmentBound = true;
        if (!EnvironmentOptions.enabled(getCamelContext())) {
            return;
        }
        EnvironmentOptions.bind(this, EnvironmentOptions.options(System.getenv(), System.getProperties()));
    }

    @Override
    protected void doStop() throws Exception {
        stores.close();
        super.doStop();
    }
}
