package io.minitoolstream.camel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StreamStore;
import io.minitoolstream.camel.store.s3.BucketCheckedOnFirstUse;
import io.minitoolstream.camel.store.s3.MinioPayloadStore;
import io.minitoolstream.camel.store.s3.S3Clients;
import io.minitoolstream.camel.store.s3.S3Settings;
import io.minitoolstream.camel.store.tarantool.TarantoolSettings;
import io.minitoolstream.camel.store.tarantool.TarantoolStreamStore;
import io.minitoolstream.camel.support.Futures;
import io.tarantool.driver.api.TarantoolClient;
import io.tarantool.driver.api.TarantoolResult;
import io.tarantool.driver.api.tuple.TarantoolTuple;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares stores between a component's endpoints: endpoints with the same connection settings (or the same
 * supplied client) use one Tarantool connection and one S3 client. Closes what it created when the component
 * stops.
 */
final class StoreRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreRegistry.class);

    private final Map<Object, StreamStore> streamStores = new HashMap<>();
    private final Map<Object, PayloadStore> payloadStores = new HashMap<>();

    @SuppressWarnings("unchecked")
    synchronized StreamStore streamStore(MiniToolStreamConfiguration config) {
        TarantoolClient<?, ?> supplied = config.getTarantoolClient();
        if (supplied != null) {
            return streamStores.computeIfAbsent(new Identity(supplied), k -> new TarantoolStreamStore(
                    (TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>>) supplied));
        }
        TarantoolSettings settings = TarantoolSettings.of(config.getAddresses(), config.getUsername(),
                config.getPassword(), config.getConnectTimeout(), config.getRequestTimeout());
        return streamStores.computeIfAbsent(settings, k -> new TarantoolStreamStore(settings));
    }

    synchronized PayloadStore payloadStore(MiniToolStreamConfiguration config, CamelContext camelContext) {
        S3Settings settings = new S3Settings(config.getS3Endpoint(), config.getS3Region(), config.getAccessKey(),
                config.getSecretKey(), config.getBucket(), config.isAutoCreateBucket());
        Object key = config.getMinioClient() != null
                ? List.of(new Identity(config.getMinioClient()), config.getBucket(), config.isAutoCreateBucket())
                : List.of(settings, new Identity(config.getSslContextParameters()));
        PayloadStore existing = payloadStores.get(key);
        if (existing != null) {
            return existing;
        }
        PayloadStore created = new BucketCheckedOnFirstUse(config.getMinioClient() != null
                ? new MinioPayloadStore(config.getMinioClient(), settings)
                : new MinioPayloadStore(S3Clients.withTls(settings, config.getSslContextParameters(), camelContext)));
        payloadStores.put(key, created);
        checkInBackground(created, "at " + config.getS3Endpoint() + ", bucket '" + config.getBucket() + "'");
        return created;
    }

    /**
     * Checks the bucket and the credentials as soon as the store exists, without holding up the start: a wrong key
     * or endpoint is a warning now, not a surprise at the first payload above inlineThreshold. Readiness reports the
     * same through the storage health check.
     */
    private static void checkInBackground(PayloadStore store, String where) {
        CompletableFuture.runAsync(store::ensureBucket).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.warn("Object storage {} is not usable: {}; payloads above inlineThreshold cannot be published or"
                         + " consumed until it is", where, Futures.unwrap(error).getMessage());
            }
        });
    }

    @Override
    public synchronized void close() {
        List<AutoCloseable> all = new ArrayList<>(streamStores.values());
        all.addAll(payloadStores.values());
        streamStores.clear();
        payloadStores.clear();
        for (AutoCloseable store : all) {
            try {
                store.close();
            } catch (Exception e) {
                // Closing is best effort: one failing client must not keep the others open.
            }
        }
    }

    /**
     * Keys user-supplied objects (clients, TLS parameters) by identity: they rarely implement equals, and two
     * instances mean two pools.
     */
    private record Identity(Object instance) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity identity && identity.instance == instance;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(instance);
        }
    }
}
