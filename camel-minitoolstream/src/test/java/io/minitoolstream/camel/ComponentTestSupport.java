package io.minitoolstream.camel;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.DevServicesExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test against the shared real Tarantool and S3 server, with a fresh CamelContext and a subject of its
 * own, so tests never see each other's messages.
 */
@ExtendWith(DevServicesExtension.class)
abstract class ComponentTestSupport {

    static DevServices services;

    protected CamelContext context;
    protected ProducerTemplate template;
    protected String subject;
    /** Every context {@link #newContext} made for this test, stopped after it also when an assertion failed. */
    private final List<CamelContext> contexts = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void rememberServices(DevServices devServices) {
        services = devServices;
    }

    @BeforeEach
    void startContext() throws Exception {
        subject = "test." + getClass().getSimpleName() + "." + UUID.randomUUID().toString().substring(0, 8);
        context = newContext();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stopContext() {
        List<CamelContext> all = snapshot(contexts);
        Collections.reverse(all);
        RuntimeException failure = null;
        for (CamelContext camel : all) {
            try {
                if (!camel.isStopped()) {
                    // a route a failed test left hanging must not hold the run up for the default 45 s
                    camel.getShutdownStrategy().setTimeout(10);
                }
                camel.stop();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        contexts.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** A started CamelContext whose minitoolstream component points at the dev services. */
    protected CamelContext newContext(RouteBuilder... routes) throws Exception {
        return newContext(camel -> {
        }, routes);
    }

    /** Like {@link #newContext(RouteBuilder...)}, with {@code setup} run on the context before routes are added. */
    protected CamelContext newContext(java.util.function.Consumer<CamelContext> setup, RouteBuilder... routes)
            throws Exception {
        CamelContext camel = new DefaultCamelContext();
        contexts.add(camel);
        camel.addComponent("minitoolstream", configuredComponent());
        setup.accept(camel);
        for (RouteBuilder route : routes) {
            camel.addRoutes(route);
        }
        camel.start();
        return camel;
    }

    protected static MiniToolStreamComponent configuredComponent() {
        MiniToolStreamComponent component = new MiniToolStreamComponent();
        MiniToolStreamConfiguration config = component.getConfiguration();
        config.setAddresses(services.tarantool().address());
        config.setUsername(services.tarantool().username());
        config.setPassword(services.tarantool().password());
        config.setS3Endpoint(services.s3().endpoint());
        config.setAccessKey(services.s3().accessKey());
        config.setSecretKey(services.s3().secretKey());
        return component;
    }

    protected static MinioClient minio() {
        return MinioClient.builder().endpoint(services.s3().endpoint())
                .credentials(services.s3().accessKey(), services.s3().secretKey()).build();
    }

    protected static boolean objectExists(String objectName) {
        try {
            minio().statObject(StatObjectArgs.builder().bucket("minitoolstream").object(objectName).build());
            return true;
        } catch (io.minio.errors.ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return false;
            }
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected String uri(String options) {
        return "minitoolstream:" + subject + (options.isEmpty() ? "" : "?" + options);
    }

    /** Publishes a body and returns the exchange (with the sequence and object name headers). */
    protected Exchange publish(Object body, Map<String, Object> headers) {
        return publish(uri(""), body, headers);
    }

    protected Exchange publish(String endpointUri, Object body, Map<String, Object> headers) {
        Exchange result = template.request(endpointUri, exchange -> {
            exchange.getIn().setBody(body);
            exchange.getIn().setHeaders(new java.util.HashMap<>(headers));
        });
        if (result.getException() != null) {
            throw new AssertionError("publish failed", result.getException());
        }
        return result;
    }

    /** What a consuming route saw of one exchange. */
    record Delivery(long sequence, String sha256, long length, Map<String, Object> headers, int deliveryCount,
                    String objectName) {
    }

    /** A route consuming {@code endpointUri} that records every delivery, hashing the body as a stream. */
    protected static RouteBuilder recordingRoute(String endpointUri, List<Delivery> sink) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(endpointUri).process(exchange -> sink.add(record(exchange)));
            }
        };
    }

    static Delivery record(Exchange exchange) throws Exception {
        var in = exchange.getIn();
        HashingResult hash = sha256(in.getBody(InputStream.class));
        return new Delivery(in.getHeader(MiniToolStreamConstants.SEQUENCE, Long.class), hash.hex(), hash.length(),
                Map.copyOf(withoutNulls(in.getHeaders())), in.getHeader(MiniToolStreamConstants.DELIVERY_COUNT,
                        Integer.class),
                in.getHeader(MiniToolStreamConstants.OBJECT_NAME, String.class));
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> headers) {
        Map<String, Object> copy = new java.util.HashMap<>();
        headers.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    record HashingResult(String hex, long length) {
    }

    static HashingResult sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        long length = 0;
        try (InputStream stream = in) {
            for (int n; (n = stream.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                length += n;
            }
        }
        return new HashingResult(HexFormat.of().formatHex(digest.digest()), length);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A copy taken under the list's lock: iterating a synchronized list while a route appends is unsafe. */
    protected static <T> List<T> snapshot(List<T> list) {
        synchronized (list) {
            return new ArrayList<>(list);
        }
    }

    protected static List<Delivery> syncList() {
        return Collections.synchronizedList(new ArrayList<>());
    }

    protected static void await(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
