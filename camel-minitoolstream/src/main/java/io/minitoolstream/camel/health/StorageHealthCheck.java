package io.minitoolstream.camel.health;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.SchemaVersion;
import io.minitoolstream.camel.store.StreamStore;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Health of one consumer or producer: Tarantool answers and its schema is at the version this component needs,
 * and the object store answers for the bucket. Both are real round trips on every call. For a consumer it first
 * asks Camel's own polling check ({@code first}), so repeated poll failures still show.
 */
public final class StorageHealthCheck implements HealthCheck {

    /** A key that never exists: asking for it proves the bucket answers without reading any payload. */
    private static final String PROBE_OBJECT = ".minitoolstream-health-probe";

    private final String id;
    private final StreamStore streams;
    private final PayloadStore payloads;
    private final long timeoutMillis;
    private final HealthCheck first;
    private volatile boolean enabled = true;

    public StorageHealthCheck(String id, StreamStore streams, PayloadStore payloads, long timeoutMillis, HealthCheck first) {
        this.id = id;
        this.streams = streams;
        this.payloads = payloads;
        this.timeoutMillis = timeoutMillis;
        this.first = first;
    }

    @Override
    public String getGroup() {
        return "camel";
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Result call(Map<String, Object> options) {
        if (first != null) {
            Result polling = first.call(options);
            if (polling.getState() == State.DOWN) {
                return polling;
            }
        }
        HealthCheckResultBuilder result = HealthCheckResultBuilder.on(this);
        try {
            SchemaVersion version = streams.schemaVersion().get(timeoutMillis, TimeUnit.MILLISECONDS);
            result.detail("tarantool.schema.version", version.current());
            if (!version.isSufficient()) {
                return result.down().message("Tarantool schema version " + version.current() + " is older than the"
                                             + " required " + version.required() + ": start Tarantool with this"
                                             + " release's lua/init.lua").build();
            }
        } catch (Exception e) {
            return result.down().message("Tarantool does not answer: " + messageOf(e)).error(e).build();
        }
        try {
            payloads.exists(PROBE_OBJECT);
        } catch (RuntimeException e) {
            return result.down().message("Object storage does not answer: " + messageOf(e)).error(e).build();
        }
        return result.up().build();
    }

    private static String messageOf(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                ? e.getCause() : e;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
