package io.minitoolstream.camel.health;

import java.util.ArrayList;
import java.util.List;

import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StreamStore;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;

/**
 * The producers' storage checks in Camel's "producers" health repository: one check per set of shared stores
 * (not one per subject), held while at least one producer using those stores runs. The first set's check is
 * {@value #ID}, further sets get {@code -2}, {@code -3}, ... The repository exists only when camel-health is on the
 * classpath; without it this does nothing. (Consumers need no registration: Camel asks each route's consumer for
 * its own check.)
 */
public final class ProducerHealthChecks {

    public static final String ID = "minitoolstream-producers";

    /** A producer's hold on the check of its stores; released when the producer stops. */
    public interface Hold {
        void release();
    }

    private static final class Shared {
        final StreamStore streams;
        final PayloadStore payloads;
        final StorageHealthCheck check;
        WritableHealthCheckRepository repository;
        int holders;

        Shared(StreamStore streams, PayloadStore payloads, StorageHealthCheck check) {
            this.streams = streams;
            this.payloads = payloads;
            this.check = check;
        }
    }

    private final List<Shared> shared = new ArrayList<>();
    private int created;

    public synchronized Hold hold(CamelContext context, StreamStore streams, PayloadStore payloads, long timeoutMillis,
                           boolean enabled) {
        Shared entry = shared.stream().filter(s -> s.streams == streams && s.payloads == payloads).findFirst()
                .orElse(null);
        if (entry == null) {
            created++;
            String id = created == 1 ? ID : ID + "-" + created;
            entry = new Shared(streams, payloads, new StorageHealthCheck(id, streams, payloads, timeoutMillis, null));
            shared.add(entry);
        }
        if (entry.holders++ == 0) {
            entry.repository = HealthCheckHelper.getHealthCheckRepository(context, "producers",
                    WritableHealthCheckRepository.class);
            if (entry.repository != null) {
                entry.check.setEnabled(enabled);
                entry.repository.addHealthCheck(entry.check);
            }
        }
        Shared held = entry;
        return () -> release(held);
    }

    private synchronized void release(Shared entry) {
        if (entry.holders > 0 && --entry.holders == 0 && entry.repository != null) {
            entry.repository.removeHealthCheck(entry.check);
            entry.repository = null;
        }
    }
}
