package io.minitoolstream.examples;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The application's own configuration keys. Values come from Camel's properties (application.properties, override
 * properties), and an environment variable named after the key overrides it (Camel's default
 * environment-variable mode: {@code minitoolstream.egress.port} is {@code MINITOOLSTREAM_EGRESS_PORT}).
 */
public final class Settings {

    public static final String GRPC_HOST = "minitoolstream.grpc.host";
    public static final String INGRESS_PORT = "minitoolstream.ingress.port";
    public static final String EGRESS_PORT = "minitoolstream.egress.port";
    public static final String SUBSCRIBE_POLL_INTERVAL = "minitoolstream.egress.subscribe-poll-interval";
    public static final String FETCH_STALL_TIMEOUT = "minitoolstream.egress.stall-timeout";
    public static final String CLEANER_DEFAULT_TTL = "minitoolstream.cleaner.default-ttl";
    public static final String CLEANER_SUBJECT_TTLS = "minitoolstream.cleaner.subject-ttls";
    public static final String EMBEDDED_DATA_DIR = "minitoolstream.embedded.data-dir";
    public static final String EMBEDDED_TARANTOOL_PORT = "minitoolstream.embedded.tarantool-port";
    public static final String EMBEDDED_S3_PORT = "minitoolstream.embedded.s3-port";
    public static final String EMBEDDED_CONNECTION_FILE = "minitoolstream.embedded.connection-file";
    public static final String GRPC_NEGOTIATION_TYPE = "minitoolstream.grpc.negotiation-type";
    public static final String GRPC_TLS_CERT_CHAIN = "minitoolstream.grpc.tls.cert-chain";
    public static final String GRPC_TLS_PRIVATE_KEY = "minitoolstream.grpc.tls.private-key";
    public static final String GRPC_TLS_CLIENT_CA = "minitoolstream.grpc.tls.client-ca";
    public static final String MANAGEMENT_HOST = "minitoolstream.management.host";
    public static final String MANAGEMENT_PORT = "minitoolstream.management.port";

    private final PropertiesComponent properties;

    public Settings(CamelContext context) {
        this.properties = context.getPropertiesComponent();
    }

    public String text(String key, String fallback) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(fallback);
    }

    public int integer(String key, int fallback) {
        String value = text(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + key + " '" + value + "': not a number", e);
        }
    }

    /** {@code true} or {@code false} (any case); anything else is an error naming the key. */
    public boolean bool(String key, boolean fallback) {
        String value = text(key, null);
        if (value == null) {
            return fallback;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("invalid " + key + " '" + value + "': must be true or false");
    }

    public Duration positiveDuration(String key, String fallback) {
        return Durations.positive(key, text(key, fallback));
    }

    public Duration duration(String key, String fallback) {
        return Durations.notNegative(key, text(key, fallback));
    }
}
