package io.minitoolstream.camel.store;

import java.util.ArrayList;
import java.util.List;

/**
 * How to reach Tarantool.
 *
 * @param addresses        one or more {@code host:port} (IPv6 as {@code [addr]:port}); with several, calls are
 *                         spread over all of them
 * @param username         the application user
 * @param password         its password; never printed
 * @param connectTimeoutMs connection timeout in milliseconds
 * @param requestTimeoutMs timeout of one call in milliseconds
 */
public record TarantoolSettings(List<String> addresses, String username, String password, int connectTimeoutMs,
        int requestTimeoutMs) {

    public TarantoolSettings {
        if (addresses == null || addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one Tarantool address (host:port) is required");
        }
        List<String> trimmed = new ArrayList<>(addresses.size());
        for (String address : addresses) {
            if (address == null || address.isBlank()) {
                throw new IllegalArgumentException("blank Tarantool address in " + addresses);
            }
            trimmed.add(address.trim());
        }
        addresses = List.copyOf(trimmed);
        if (connectTimeoutMs <= 0) {
            throw new IllegalArgumentException("connectTimeoutMs must be positive, was " + connectTimeoutMs);
        }
        if (requestTimeoutMs <= 0) {
            throw new IllegalArgumentException("requestTimeoutMs must be positive, was " + requestTimeoutMs);
        }
    }

    /** Splits a comma-separated list of {@code host:port} addresses, ignoring blanks around the commas. */
    public static List<String> parseAddresses(String commaSeparated) {
        List<String> result = new ArrayList<>();
        if (commaSeparated != null) {
            for (String part : commaSeparated.split(",")) {
                if (!part.isBlank()) {
                    result.add(part.trim());
                }
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return "TarantoolSettings[addresses=" + addresses + ", username=" + username + ", password="
                + (password == null ? "null" : "******") + ", connectTimeoutMs=" + connectTimeoutMs
                + ", requestTimeoutMs=" + requestTimeoutMs + "]";
    }
}
