package io.minitoolstream.examples;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;

import io.minitoolstream.examples.cleaner.TtlPolicy;
import io.minitoolstream.examples.files.OutboxFileNames;
import io.minitoolstream.examples.grpc.AckMapping;
import io.minitoolstream.examples.grpc.EgressReplies;
import io.minitoolstream.examples.grpc.FetchMapping;
import io.minitoolstream.examples.grpc.GrpcTls;
import io.minitoolstream.examples.grpc.LastSequenceMapping;
import io.minitoolstream.examples.grpc.MessageIdInterceptor;
import io.minitoolstream.examples.grpc.PublishMapping;
import io.minitoolstream.examples.grpc.SubscribeMapping;
import io.minitoolstream.examples.grpc.SubscriptionHub;
import io.minitoolstream.examples.grpc.auth.AuthInterceptor;
import io.minitoolstream.examples.grpc.auth.AuthSettings;
import io.minitoolstream.examples.grpc.auth.RpcAccessRules;
import io.minitoolstream.examples.health.RoutesLiveness;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the beans the YAML routes call by name. camel-main runs this before it loads the routes; a plain
 * CamelContext (tests) can call {@link #configure(CamelContext)} itself.
 */
public class ExamplesConfiguration implements CamelConfiguration {

    /**
     * The JWT check on both gRPC servers. Bound only when {@code minitoolstream.auth.enabled} is true; the gRPC
     * consumers pick up every {@code ServerInterceptor} bean ({@code autoDiscoverServerInterceptors}).
     */
    public static final String AUTH_INTERCEPTOR = "grpcAuthInterceptor";
    /** Whether the file drop routes start (a route's autoStartup must be a literal boolean for the YAML DSL schema). */
    public static final String FILES_ENABLED = "minitoolstream.files.enabled";
    static final java.util.Set<String> FILE_DROP_ROUTES = java.util.Set.of("file-drop-in", "file-drop-out");
    private static final Logger LOG = LoggerFactory.getLogger(ExamplesConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();

        bindGrpcSecurity(context, settings, registry);
        registry.bind("publishMapping", new PublishMapping());
        // The gRPC consumers pick up every ServerInterceptor bean: this one carries the message-id request header.
        registry.bind("grpcMessageIdInterceptor", new MessageIdInterceptor());

        SubscriptionHub hub = new SubscriptionHub(settings.positiveDuration(Settings.SUBSCRIBE_POLL_INTERVAL, "500ms"));
        context.addService(hub);
        registry.bind("subscriptionHub", hub);
        registry.bind("subscribeMapping", new SubscribeMapping(hub));
        registry.bind("fetchMapping", new FetchMapping(settings.positiveDuration(Settings.FETCH_STALL_TIMEOUT, "60s")));
        registry.bind("lastSequenceMapping", new LastSequenceMapping());
        registry.bind("ackMapping", new AckMapping());
        registry.bind("egressReplies", new EgressReplies());

        registry.bind("ttlPolicy", TtlPolicy.parse(settings.text(Settings.CLEANER_DEFAULT_TTL, "24h"),
                settings.text(Settings.CLEANER_SUBJECT_TTLS, "")));

        registry.bind("outboxFileNames", new OutboxFileNames());
        if (!settings.bool(FILES_ENABLED, true)) {
            doNotStart(context, FILE_DROP_ROUTES);
        }

        // Picked up by camel-health from the registry: /observe/health/live goes DOWN when a route stops.
        registry.bind("routesLiveness", new RoutesLiveness(context));
    }

    /** These routes are added (loaded from YAML after this runs) with autoStartup false. */
    private static void doNotStart(CamelContext context, java.util.Set<String> routeIds) {
        context.getCamelContextExtension().getContextPlugin(Model.class).addModelLifecycleStrategy(
                new ModelLifecycleStrategySupport() {
                    @Override
                    public void onAddRouteDefinition(RouteDefinition route) {
                        if (routeIds.contains(route.getRouteId())) {
                            route.setAutoStartup("false");
                        }
                    }
                });
    }

    private static void bindGrpcSecurity(CamelContext context, Settings settings, Registry registry) {
        AuthSettings auth = AuthSettings.from(settings);
        auth.verifier(Clock.systemUTC()).ifPresent(verifier -> registry.bind(AUTH_INTERCEPTOR,
                new AuthInterceptor(verifier, RpcAccessRules.minitoolstream())));
        boolean tls = GrpcTls.check(context, settings);
        String host = settings.text(Settings.GRPC_HOST, "127.0.0.1");
        LOG.info("gRPC servers on {}: {}; {}", host, tls ? "mutual TLS" : "plaintext", auth);
        if (!auth.enabled() && !isLoopback(host)) {
            LOG.warn("gRPC servers listen on {} without authentication: anyone who reaches them can publish and"
                     + " consume every subject (set {}=true)", host, AuthSettings.ENABLED);
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
