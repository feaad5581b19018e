package io.minitoolstream.camel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StreamStore;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Health of one consumer or producer: Tarantool answers and its schema is at the version this component needs,
 * and the object store answers for the bucket. Both are real round trips on every call. For a consumer it first
 * asks Camel's own polling check ({@code first}), so repeated poll failures still show.
 */
final class StorageHealthCheck implements HealthCheck {

    /** The Lua schema version that has every function this component calls (4: leases for competing and ordered consumers). */
    static final int REQUIRED_SCHEMA_VERSION = 4;
    /** A key that never exists: asking for it proves the bucket answers without reading any payload. */
    private static final String PROBE_OBJECT = ".minitoolstream-health-probe";

    private final String id;
    private final StreamStore streams;
    private final PayloadStore payloads;
    private final long timeoutMillis;
    private final HealthCheck first;
    private volatile boolean enabled = true;

    StorageHealthCheck(String id, StreamStore streams, PayloadStore payloads, long timeoutMillis, HealthCheck first) {
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
            List<?> answer = streams.call("get_schema_version").get(timeoutMillis, TimeUnit.MILLISECONDS);
            long version = answer.isEmpty() ? -1 : ((Number) answer.get(0)).longValue();
            result.detail("tarantool.schema.version", version);
            if (version < REQUIRED_SCHEMA_VERSION) {
                return result.down().message("Tarantool schema version " + version + " is older than the required "
                                             + REQUIRED_SCHEMA_VERSION + ": start Tarantool with this release's"
                                             + " lua/init.lua").build();
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
