package io.minitoolstream.camel.store.tarantool;

import java.util.Objects;

import io.tarantool.driver.api.TarantoolClient;
import io.tarantool.driver.api.TarantoolClientFactory;
import io.tarantool.driver.api.TarantoolResult;
import io.tarantool.driver.api.TarantoolServerAddress;
import io.tarantool.driver.api.connection.TarantoolConnectionSelectionStrategyType;
import io.tarantool.driver.api.tuple.TarantoolTuple;
import io.tarantool.driver.auth.SimpleTarantoolCredentials;

/** Builds cartridge-driver clients from {@link TarantoolSettings}. */
public final class TarantoolClients {

    /**
     * Rounds over all instances one call may make in a replica set. Tries follow each other at once: a read-only
     * refusal costs one round trip, and while no instance is writable the call fails fast (the caller's retry,
     * e.g. Camel's redelivery, waits instead of a Netty thread).
     */
    private static final int FAILOVER_ROUNDS = 3;

    private TarantoolClients() {
    }

    /**
     * A client for the settings: all addresses, spread round-robin (one connection per address), credentials,
     * connect and request timeouts. Connections open on the first call. The caller closes the client.
     */
    public static TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>> create(TarantoolSettings settings) {
        Objects.requireNonNull(settings, "settings");
        TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>> client = TarantoolClientFactory.createClient()
                .withAddresses(settings.addresses().stream()
                        .map(address -> new TarantoolServerAddress(address.host(), address.port())).toList())
                // No username means Tarantool's guest, which the instance script gives no rights at all.
                .withCredentials(settings.username() == null
                        ? new SimpleTarantoolCredentials()
                        : new SimpleTarantoolCredentials(settings.username(),
                                settings.password() == null ? "" : settings.password()))
                .withConnectTimeout(settings.connectTimeoutMs())
                .withReadTimeout(settings.requestTimeoutMs())
                .withRequestTimeout(settings.requestTimeoutMs())
                .withConnectionSelectionStrategy(TarantoolConnectionSelectionStrategyType.PARALLEL_ROUND_ROBIN)
                .withMessagePackMapper(BinarySafeMapper.create())
                .build();
        if (settings.addresses().size() < 2) {
            return client;
        }
        // A replica set: calls go round-robin, so a write may reach a read-only replica, or an instance that is
        // gone after a failover. Retry those on the next instance until the writable one answers. A read-only
        // refusal changed nothing; a retried network error may store a publish twice (at least once).
        int attempts = settings.addresses().size() * FAILOVER_ROUNDS;
        return TarantoolClientFactory.configureClient(client)
                .withRetryingByNumberOfAttempts(attempts, TarantoolErrors::isFailover,
                        policy -> policy.withDelay(0).withRequestTimeout(settings.requestTimeoutMs()))
                .build();
    }
}
