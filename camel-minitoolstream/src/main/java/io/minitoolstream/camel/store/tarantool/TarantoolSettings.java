package io.minitoolstream.camel.store.tarantool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tarantool.driver.api.TarantoolServerAddress;

/**
 * How to reach Tarantool.
 *
 * @param addresses        one or more instances; with several, calls are spread over all of them
 * @param username         the application user; null means guest
 * @param password         its password; never printed
 * @param connectTimeoutMs connection timeout in milliseconds
 * @param requestTimeoutMs timeout of one call in milliseconds
 */
public record TarantoolSettings(List<HostPort> addresses, String username, String password,
        int connectTimeoutMs, int requestTimeoutMs) {

    /** One instance's address as configured (never resolved, so messages show what the user wrote). */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    public TarantoolSettings {
        if (addresses == null || addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one Tarantool address (host:port) is required");
        }
        addresses = List.copyOf(addresses);
        if (connectTimeoutMs <= 0) {
            throw new IllegalArgumentException("connectTimeoutMs must be positive, was " + connectTimeoutMs);
        }
        if (requestTimeoutMs <= 0) {
            throw new IllegalArgumentException("requestTimeoutMs must be positive, was " + requestTimeoutMs);
        }
    }

    /** Settings from the {@code addresses} option's text; see {@link #parseAddresses}. */
    public static TarantoolSettings of(String addresses, String username, String password, int connectTimeoutMs,
                                       int requestTimeoutMs) {
        return new TarantoolSettings(parseAddresses(addresses), username, password, connectTimeoutMs,
                requestTimeoutMs);
    }

    /**
     * Parses the {@code addresses} option, the one place it is parsed: comma-separated {@code host:port} pairs
     * (IPv6 as {@code [addr]:port}), blanks around commas ignored. The driver keys connections by address and
     * fails every call when two entries are the same, so repeats are dropped.
     *
     * @throws IllegalArgumentException naming the option value and the bad entry
     */
    public static List<HostPort> parseAddresses(String option) {
        if (option == null || option.isBlank()) {
            throw new IllegalArgumentException("invalid addresses '" + option + "': expected host:port[,host:port]");
        }
        Map<TarantoolServerAddress, HostPort> parsed = new LinkedHashMap<>();
        for (String part : option.split(",")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.lastIndexOf(':');
            int port = colon <= 0 ? -1 : portOf(entry.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("invalid addresses '" + option + "': '" + entry
                                                   + "' is not host:port with a port of 1-65535");
            }
            String host = entry.substring(0, colon).replaceAll("^\\[|]$", "");
            parsed.putIfAbsent(new TarantoolServerAddress(host, port), new HostPort(host, port));
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("invalid addresses '" + option + "': expected host:port[,host:port]");
        }
        return new ArrayList<>(parsed.values());
    }

    private static int portOf(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return "TarantoolSettings[addresses=" + addresses + ", username=" + username + ", password="
                + (password == null ? "null" : "******") + ", connectTimeoutMs=" + connectTimeoutMs
                + ", requestTimeoutMs=" + requestTimeoutMs + "]";
    }
}
