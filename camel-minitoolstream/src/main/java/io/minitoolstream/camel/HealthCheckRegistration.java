package io.minitoolstream.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;

/**
 * Adds a producer's storage check to Camel's "producers" health repository while it runs. The repository exists
 * only when camel-health is on the classpath; without it this does nothing. (Consumers need no registration:
 * Camel asks each route's consumer for its own check.)
 */
final class HealthCheckRegistration {

    private final WritableHealthCheckRepository repository;
    private final StorageHealthCheck check;

    private HealthCheckRegistration(WritableHealthCheckRepository repository, StorageHealthCheck check) {
        this.repository = repository;
        this.check = check;
    }

    static HealthCheckRegistration register(CamelContext context, StorageHealthCheck check, boolean enabled) {
        WritableHealthCheckRepository repository = HealthCheckHelper.getHealthCheckRepository(context, "producers",
                WritableHealthCheckRepository.class);
        if (repository == null) {
            return new HealthCheckRegistration(null, check);
        }
        check.setEnabled(enabled);
        repository.addHealthCheck(check);
        return new HealthCheckRegistration(repository, check);
    }

    void unregister() {
        if (repository != null) {
            repository.removeHealthCheck(check);
        }
    }
}
