package io.minitoolstream.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Just enough of HashiCorp Vault's KV v2 HTTP API for Camel's Vault client: {@code GET /v1/<engine>/data/<path>}
 * with the {@code X-Vault-Token} header, answered as Vault does ({@code {"data":{"data":{...},"metadata":{...}}}}),
 * 403 for another token, 404 for an unknown secret. Records every request.
 */
final class FakeVault implements AutoCloseable {

    static final String TOKEN_HEADER = "X-Vault-Token";

    record Request(String method, String path, String token) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String token;
    private final Map<String, Map<String, String>> secrets = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeVault(String token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves on a free loopback port; only {@code token} is accepted. */
    static FakeVault start(String token) throws IOException {
        return new FakeVault(token);
    }

    /** Stores a secret, as {@code vault kv put <engine>/<path> field=value...} would. */
    void put(String engine, String path, Map<String, String> fields) {
        secrets.put("/v1/" + engine + "/data/" + path, Map.copyOf(fields));
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String presented = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
            requests.add(new Request(exchange.getRequestMethod(), path, presented));
            if (!"GET".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, Map.of("errors", List.of()));
            } else if (!token.equals(presented)) {
                reply(exchange, 403, Map.of("errors", List.of("permission denied")));
            } else if (!secrets.containsKey(path)) {
                reply(exchange, 404, Map.of("errors", List.of()));
            } else {
                Map<String, Object> metadata = Map.of("created_time", "2026-01-01T00:00:00Z", "deletion_time", "",
                        "destroyed", false, "version", 1);
                reply(exchange, 200, Map.of("request_id", "fake", "lease_id", "", "renewable", false,
                        "lease_duration", 0, "data", Map.of("data", secrets.get(path), "metadata", metadata)));
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
