package io.minitoolstream.camel.store.tarantool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.tarantool.driver.api.TarantoolClient;
import io.tarantool.driver.api.TarantoolResult;
import io.tarantool.driver.api.tuple.TarantoolTuple;
import io.tarantool.driver.mappers.MessagePackMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls for a replica set (several addresses): one connection per instance. Calls go round-robin until an
 * instance refuses a write as not writable (read-only follower, not the leader, synchronous queue not owned);
 * from then on every call goes to the instance that last answered, which is the writable one (master or elected
 * leader). A call refused there, lost with its connection or not answered in time is tried on the others in
 * turn; after a round without a writable instance the next round starts {@value #ROUND_PAUSE_MILLIS} ms later,
 * until the request timeout has passed. So writes follow a failover, manual or elected, and a call made during an
 * election waits for the new leader instead of failing.
 */
final class InstanceRouter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceRouter.class);
    static final long ROUND_PAUSE_MILLIS = 100;

    private final List<TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>>> clients;
    private final long budgetNanos;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private volatile boolean followLeader;
    private volatile int current;

    private InstanceRouter(List<TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>>> clients,
                           long budgetMillis) {
        this.clients = clients;
        this.budgetNanos = TimeUnit.MILLISECONDS.toNanos(budgetMillis);
    }

    /** One single-address client per address, or null for a single address (no routing needed). */
    static InstanceRouter forSettings(TarantoolSettings settings) {
        if (settings.addresses().size() < 2) {
            return null;
        }
        List<TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>>> clients = new ArrayList<>();
        for (TarantoolSettings.HostPort address : settings.addresses()) {
            clients.add(TarantoolClients.create(new TarantoolSettings(List.of(address), settings.username(),
                    settings.password(), settings.connectTimeoutMs(), settings.requestTimeoutMs())));
        }
        return new InstanceRouter(List.copyOf(clients), settings.requestTimeoutMs());
    }

    CompletableFuture<List<?>> call(String function, List<?> arguments, MessagePackMapper mapper) {
        int first = followLeader ? current : Math.floorMod(roundRobin.getAndIncrement(), clients.size());
        CompletableFuture<List<?>> result = new CompletableFuture<>();
        attempt(function, arguments, mapper, first, 1, System.nanoTime() + budgetNanos, result);
        return result;
    }

    private void attempt(String function, List<?> arguments, MessagePackMapper mapper, int index, int attempt,
                         long deadline, CompletableFuture<List<?>> result) {
        CompletableFuture<List<?>> call;
        try {
            call = clients.get(index).call(function, arguments, mapper);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((answer, error) -> {
            if (error == null) {
                current = index;
                result.complete(answer);
                return;
            }
            boolean notWritable = TarantoolErrors.isNotWritableHere(error);
            if (!notWritable && !isUnreachable(error)) {
                result.completeExceptionally(error);
                return;
            }
            if (notWritable) {
                followLeader = true;
            }
            boolean roundDone = attempt % clients.size() == 0;
            if (roundDone && System.nanoTime() >= deadline) {
                result.completeExceptionally(error);
                return;
            }
            int next = (index + 1) % clients.size();
            if (roundDone) {
                CompletableFuture.delayedExecutor(ROUND_PAUSE_MILLIS, TimeUnit.MILLISECONDS)
                        .execute(() -> attempt(function, arguments, mapper, next, attempt + 1, deadline, result));
            } else {
                attempt(function, arguments, mapper, next, attempt + 1, deadline, result);
            }
        });
    }

    /** Not connected (down, refusing connections) or no answer in time (frozen, cut off). */
    private static boolean isUnreachable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return true;
            }
        }
        return TarantoolErrors.isConnectionFailure(error);
    }

    @Override
    public void close() {
        for (TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>> client : clients) {
            try {
                client.close();
            } catch (Exception e) {
                LOG.warn("Closing a Tarantool client failed: {}", e.toString());
            }
        }
    }
}
