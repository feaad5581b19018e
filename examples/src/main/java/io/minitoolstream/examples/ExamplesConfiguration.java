package io.minitoolstream.examples;

import io.minitoolstream.examples.cleaner.OrphanSweep;
import io.minitoolstream.examples.cleaner.TtlPolicy;
import io.minitoolstream.examples.files.OutboxFileNames;
import io.minitoolstream.examples.grpc.AckMapping;
import io.minitoolstream.examples.grpc.EgressReplies;
import io.minitoolstream.examples.grpc.FetchMapping;
import io.minitoolstream.examples.grpc.LastSequenceMapping;
import io.minitoolstream.examples.grpc.PublishMapping;
import io.minitoolstream.examples.grpc.SubscribeMapping;
import io.minitoolstream.examples.grpc.SubscriptionHub;
import io.minitoolstream.examples.health.RoutesLiveness;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * Binds the beans the YAML routes call by name. camel-main runs this before it loads the routes; a plain
 * CamelContext (tests) can call {@link #configure(CamelContext)} itself.
 */
public class ExamplesConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();

        registry.bind("publishMapping", new PublishMapping());

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
        OrphanSweep orphanSweep = new OrphanSweep(settings.duration(Settings.ORPHAN_GRACE, "1h"),
                settings.integer(Settings.ORPHAN_PAGE_SIZE, 1000));
        context.addService(orphanSweep);
        registry.bind("orphanSweep", orphanSweep);

        registry.bind("outboxFileNames", new OutboxFileNames());

        // Picked up by camel-health from the registry: /observe/health/live goes DOWN when a route stops.
        registry.bind("routesLiveness", new RoutesLiveness(context));
    }
}
