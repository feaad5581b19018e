package io.minitoolstream.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.minitoolstream.camel.MiniToolStreamComponent;
import io.minitoolstream.camel.MiniToolStreamConfiguration;
import io.minitoolstream.camel.store.s3.S3Settings;
import io.minitoolstream.camel.store.tarantool.TarantoolSettings;
import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.S3Server;
import io.minitoolstream.devservices.TarantoolServer;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The servers and clients every scenario shares: Tarantool and S3 from dev-services, nats-server, one Camel context
 * with the minitoolstream component configured once (the way an application does it) and a producer template.
 */
final class BenchEnv implements AutoCloseable {

    static final String BUCKET = "minitoolstream";
    /** Enough memtx for the throughput windows between cleanups; only what is used is touched. */
    static final long MEMTX_BYTES = 4L * 1024 * 1024 * 1024;

    final BenchOptions options;
    final DevServices services;
    final NatsServer nats;
    final CamelContext camel;
    final ProducerTemplate template;
    final Connection natsConnection;

    private BenchEnv(BenchOptions options, DevServices services, NatsServer nats, CamelContext camel,
                     Connection natsConnection) {
        this.options = options;
        this.services = services;
        this.nats = nats;
        this.camel = camel;
        this.template = camel.createProducerTemplate();
        this.natsConnection = natsConnection;
    }

    static BenchEnv start(BenchOptions options, boolean withNats) throws Exception {
        DevServices services = new DevServices(TarantoolServer.builder().memtxMemory(MEMTX_BYTES).build(),
                new S3Server());
        NatsServer nats = null;
        Connection connection = null;
        CamelContext camel = null;
        try {
            services.start();
            if (withNats) {
                nats = NatsServer.start();
                connection = Nats.connect(new Options.Builder().server(nats.url())
                        .connectionTimeout(Duration.ofSeconds(5)).build());
            }
            camel = new DefaultCamelContext();
            // Payload streams are read once by the benchmark's processors; stream caching would spool every big
            // payload to disk first and measure the disk instead (see the component docs on stream caching).
            camel.setStreamCaching(false);
            camel.addComponent("minitoolstream", component(services));
            camel.start();
            return new BenchEnv(options, services, nats, camel, connection);
        } catch (Exception | Error e) {
            closeAll(camel, connection, nats, services);
            throw e;
        }
    }

    /** The component configured once, the way camel.component.minitoolstream.* properties do it. */
    static MiniToolStreamComponent component(DevServices services) {
        return component(services.tarantool().address(), services.tarantool().username(),
                services.tarantool().password(), services.s3().endpoint(), services.s3().region(),
                services.s3().accessKey(), services.s3().secretKey());
    }

    static MiniToolStreamComponent component(String address, String user, String password, String s3Endpoint,
                                             String region, String accessKey, String secretKey) {
        MiniToolStreamComponent component = new MiniToolStreamComponent();
        MiniToolStreamConfiguration config = component.getConfiguration();
        config.setAddresses(address);
        config.setUsername(user);
        config.setPassword(password);
        config.setS3Endpoint(s3Endpoint);
        config.setS3Region(region);
        config.setAccessKey(accessKey);
        config.setSecretKey(secretKey);
        config.setBucket(BUCKET);
        return component;
    }

    S3Settings s3Settings() {
        S3Server s3 = services.s3();
        return new S3Settings(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey(), BUCKET, true);
    }

    TarantoolSettings tarantoolSettings() {
        TarantoolServer tarantool = services.tarantool();
        return TarantoolSettings.of(String.join(",", tarantool.address()), tarantool.username(), tarantool.password(),
                5_000, 30_000);
    }

    String natsUri(String subject, String stream) {
        return "nats:" + subject + "?servers=" + nats.url() + "&jetstreamEnabled=true&jetstreamName=" + stream;
    }

    void route(String from, String to) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).routeId(routeIdOf(from)).to(to);
            }
        });
    }

    static String routeIdOf(String uri) {
        return uri.replaceAll("[^A-Za-z0-9]+", "-");
    }

    JetStreamManagement jsm() throws IOException {
        return natsConnection.jetStreamManagement();
    }

    JetStream jetStream() throws IOException {
        return natsConnection.jetStream();
    }

    /** (Re)creates a JetStream stream with file storage, empty. */
    void freshStream(String name, String subject) throws IOException, JetStreamApiException {
        JetStreamManagement jsm = jsm();
        try {
            jsm.deleteStream(name);
        } catch (JetStreamApiException notThere) {
            // created below
        }
        jsm.addStream(StreamConfiguration.builder().name(name).subjects(subject)
                .storageType(StorageType.File).build());
    }

    void deleteStream(String name) {
        try {
            jsm().deleteStream(name);
        } catch (IOException | JetStreamApiException e) {
            Log.info("could not delete JetStream stream %s: %s", name, e.getMessage());
        }
    }

    @Override
    public void close() {
        closeAll(camel, natsConnection, nats, services);
    }

    private static void closeAll(CamelContext camel, Connection connection, NatsServer nats, DevServices services) {
        try {
            if (camel != null) {
                camel.close();
            }
        } catch (Exception e) {
            Log.info("closing Camel failed: %s", e);
        }
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (Exception e) {
            Log.info("closing the NATS connection failed: %s", e);
        }
        try {
            if (nats != null) {
                nats.close();
            }
        } finally {
            services.close();
        }
    }
}
