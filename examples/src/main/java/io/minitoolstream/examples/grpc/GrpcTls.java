package io.minitoolstream.examples.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.minitoolstream.examples.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.support.ResourceHelper;

/**
 * Checks the gRPC servers' transport settings at start, so a mistake is reported naming the property instead of
 * as a failure deep inside the gRPC consumer. The routes pass the properties to camel-grpc unchanged
 * ({@code negotiationType}, {@code keyCertChainResource}, {@code keyResource}, {@code trustCertCollectionResource}).
 * <p>
 * camel-grpc 4.17's TLS server always requires a client certificate (mutual TLS); without
 * {@code trustCertCollectionResource} it would accept any client certificate the JVM's public CAs vouch for. So TLS
 * here means mutual TLS, and the client CA is required.
 */
public final class GrpcTls {

    public static final String PLAINTEXT = "PLAINTEXT";
    public static final String TLS = "TLS";

    private GrpcTls() {
    }

    /** True for TLS; fails for a missing or unreadable file, or a value camel-grpc would not take. */
    public static boolean check(CamelContext context, Settings settings) {
        String negotiation = settings.text(Settings.GRPC_NEGOTIATION_TYPE, PLAINTEXT).toUpperCase(Locale.ROOT);
        if (negotiation.equals(PLAINTEXT)) {
            return false;
        }
        if (!negotiation.equals(TLS)) {
            throw new IllegalArgumentException("invalid " + Settings.GRPC_NEGOTIATION_TYPE + " '"
                                               + settings.text(Settings.GRPC_NEGOTIATION_TYPE, "")
                                               + "': must be PLAINTEXT or TLS");
        }
        requirePem(context, settings, Settings.GRPC_TLS_CERT_CHAIN, "CERTIFICATE");
        requirePem(context, settings, Settings.GRPC_TLS_PRIVATE_KEY, "PRIVATE KEY");
        requirePem(context, settings, Settings.GRPC_TLS_CLIENT_CA, "CERTIFICATE");
        return true;
    }

    /** The resource exists, is readable the way camel-grpc will read it, and holds the expected PEM block. */
    private static void requirePem(CamelContext context, Settings settings, String key, String block) {
        String location = settings.text(key, null);
        if (location == null) {
            throw new IllegalArgumentException(Settings.GRPC_NEGOTIATION_TYPE + " is TLS but " + key + " is not set"
                                               + (key.equals(Settings.GRPC_TLS_CLIENT_CA)
                                                       ? " (camel-grpc's TLS servers require client certificates:"
                                                         + " this is the CA that issues them)" : ""));
        }
        String pem;
        try (InputStream in = ResourceHelper.resolveResourceAsInputStream(context, location)) {
            if (in == null) {
                throw new IOException("not found");
            }
            pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid " + key + " '" + location + "': cannot read it ("
                                               + e.getMessage() + "); expected a file path (absolute or relative to"
                                               + " the working directory), file:<path> or classpath:<name>", e);
        }
        if (!pem.contains("-----BEGIN " + block + "-----")) {
            String hint = block.equals("PRIVATE KEY")
                    ? " (an unencrypted PKCS#8 key; convert with 'openssl pkcs8 -topk8 -nocrypt')" : "";
            throw new IllegalArgumentException("invalid " + key + " '" + location + "': no -----BEGIN " + block
                                               + "----- block" + hint);
        }
    }
}
