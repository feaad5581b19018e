package io.minitoolstream.examples;

import java.nio.file.Path;
import java.util.Optional;

import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.S3Server;
import io.minitoolstream.devservices.TarantoolServer;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default. When no Tarantool is configured ({@value #ADDRESSES} unset, also not as the environment
 * variable {@code CAMEL_COMPONENT_MINITOOLSTREAM_ADDRESSES}), a local Tarantool (child process) and an in-process
 * S3 server are started before the routes, and the {@code minitoolstream} component is pointed at them. They stop
 * when the CamelContext stops. With addresses configured, the configured servers are used and nothing is started.
 */
public class EmbeddedDevServices extends MainListenerSupport {

    public static final String ADDRESSES = "camel.component.minitoolstream.addresses";
    private static final String COMPONENT = "camel.component.minitoolstream.";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDevServices.class);

    private volatile DevServices services;

    /** The running embedded servers, or null when external ones are configured. */
    public DevServices services() {
        return services;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        PropertiesComponent properties = context.getPropertiesComponent();
        Optional<String> addresses = properties.resolveProperty(ADDRESSES).filter(value -> !value.isBlank());
        if (addresses.isPresent()) {
            LOG.info("Using Tarantool at {} and object storage at {}", addresses.get(),
                    properties.resolveProperty(COMPONENT + "s3-endpoint").orElse("http://localhost:9000 (default)"));
            return;
        }
        Settings settings = new Settings(context);
        String fileLocation = settings.text(Settings.EMBEDDED_CONNECTION_FILE, null);
        ConnectionFile file = fileLocation == null ? null : ConnectionFile.at(Path.of(fileLocation));
        DevServices started = create(settings, file).start();
        services = started;
        try {
            context.addService(new Lifecycle(started), true, false);
        } catch (Exception e) {
            started.close();
            throw new IllegalStateException("Could not register the embedded servers with Camel", e);
        }
        TarantoolServer tarantool = started.tarantool();
        S3Server s3 = started.s3();
        properties.addOverrideProperty(COMPONENT + "addresses", tarantool.address());
        properties.addOverrideProperty(COMPONENT + "username", tarantool.username());
        properties.addOverrideProperty(COMPONENT + "password", tarantool.password());
        properties.addOverrideProperty(COMPONENT + "s3-endpoint", s3.endpoint());
        properties.addOverrideProperty(COMPONENT + "s3-region", s3.region());
        properties.addOverrideProperty(COMPONENT + "access-key", s3.accessKey());
        properties.addOverrideProperty(COMPONENT + "secret-key", s3.secretKey());
        String written = "";
        if (file != null) {
            String host = settings.text(Settings.GRPC_HOST, "127.0.0.1");
            String bucket = properties.resolveProperty(COMPONENT + "bucket").filter(b -> !b.isBlank())
                    .orElse("minitoolstream");
            file.write(tarantool, s3, bucket, host + ":" + settings.integer(Settings.INGRESS_PORT, 50051),
                    host + ":" + settings.integer(Settings.EGRESS_PORT, 50052));
            written = "\n  Connection settings for other tools (Camel JBang, bin/run client): " + file.path();
        }
        LOG.info("""
                No Tarantool configured ({} unset): started embedded servers
                  Tarantool  {} (user {}, data {})
                  S3         {} (bucket dir {}){}
                They stop with the application. Set {} (and the other camel.component.minitoolstream.* keys) to use \
                your own.""", ADDRESSES, tarantool.address(), tarantool.username(), tarantool.dataDir(),
                s3.endpoint(), s3.baseDir(), written, ADDRESSES);
    }

    /** The previous run's credentials and ports are reused when its connection file is there. */
    private static DevServices create(Settings settings, ConnectionFile file) {
        int tarantoolPort = settings.integer(Settings.EMBEDDED_TARANTOOL_PORT, 0);
        int s3Port = settings.integer(Settings.EMBEDDED_S3_PORT, 0);
        TarantoolServer.Builder tarantool = TarantoolServer.builder()
                .port(tarantoolPort == 0 && file != null ? file.previousTarantoolPort() : tarantoolPort);
        S3Server.Builder s3 = S3Server.builder().port(s3Port == 0 && file != null ? file.previousS3Port() : s3Port);
        if (file != null) {
            file.previous(ConnectionFile.PASSWORD).ifPresent(tarantool::password);
            file.previous(ConnectionFile.ACCESS_KEY).ifPresent(s3::accessKey);
            file.previous(ConnectionFile.SECRET_KEY).ifPresent(s3::secretKey);
        }
        String dataDir = settings.text(Settings.EMBEDDED_DATA_DIR, null);
        if (dataDir != null) {
            Path base = Path.of(dataDir).toAbsolutePath();
            tarantool.dataDir(base.resolve("tarantool"));
            s3.baseDir(base.resolve("s3"));
        }
        return new DevServices(tarantool.build(), s3.build());
    }

    /** Stops the embedded servers when the CamelContext stops (after routes and components). */
    private final class Lifecycle extends ServiceSupport {
        private final DevServices owned;

        Lifecycle(DevServices owned) {
            this.owned = owned;
        }

        @Override
        protected void doStop() {
            LOG.info("Stopping the embedded Tarantool and S3 server");
            owned.close();
            services = null;
        }
    }
}
