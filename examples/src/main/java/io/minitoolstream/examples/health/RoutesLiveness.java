package io.minitoolstream.examples.health;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Liveness of the routes: DOWN, naming them, when routes that start with the application are no longer running.
 * Camel's own route and consumer checks count for readiness only, so without this check
 * {@code /observe/health/live} would only say that the CamelContext runs. A route whose consumer has stopped does
 * not come back by itself; restarting the process does. Tarantool or object storage being unreachable never stops
 * a route (the consumers retry), so it affects readiness only, never this check.
 * <p>
 * Found by camel-health in the Camel registry ({@code camel.health.registry-enabled}, on by default).
 */
public final class RoutesLiveness implements HealthCheck {

    public static final String ID = "routes-running";

    private final CamelContext context;
    private volatile boolean enabled = true;

    public RoutesLiveness(CamelContext context) {
        this.context = context;
    }

    @Override
    public String getGroup() {
        return "minitoolstream";
    }

    @Override
    public String getId() {
        return ID;
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
    public boolean isLiveness() {
        return true;
    }

    @Override
    public boolean isReadiness() {
        // Camel's route and consumer checks already cover readiness.
        return false;
    }

    @Override
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder result = HealthCheckResultBuilder.on(this);
        if (!context.isStarted()) {
            // Starting or stopping: routes are expected to be down; Camel's "context" check reports that phase.
            return result.up().build();
        }
        List<String> notRunning = context.getRoutes().stream()
                .filter(route -> !Boolean.FALSE.equals(route.isAutoStartup()))
                .filter(route -> !isRunning(context.getRouteController().getRouteStatus(route.getRouteId())))
                .map(Route::getRouteId)
                .toList();
        if (notRunning.isEmpty()) {
            return result.up().build();
        }
        return result.down().detail("routes.not.running", String.join(",", notRunning))
                .message("Routes not running: " + String.join(", ", notRunning)).build();
    }

    /** Started, or suspended on purpose (a suspended route resumes without a restart). */
    private static boolean isRunning(ServiceStatus status) {
        return status != null && (status.isStarted() || status.isStarting() || status.isSuspended()
                                  || status.isSuspending());
    }
}
