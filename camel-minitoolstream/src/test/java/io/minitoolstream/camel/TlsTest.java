package io.minitoolstream.camel;

import java.util.List;
import java.util.Map;

import io.minitoolstream.devservices.S3Server;
import org.apache.camel.Exchange;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Payloads travel over HTTPS to an object store with a self-signed certificate, trusted through Camel's JSSE. */
class TlsTest extends ComponentTestSupport {

    private static S3Server https;

    @BeforeAll
    static void startHttpsObjectStore() {
        https = S3Server.builder().tls(true).build().start();
    }

    @AfterAll
    static void stopHttpsObjectStore() {
        https.close();
    }

    private String httpsUri(String options) {
        return uri("inlineThreshold=0&s3Endpoint=" + https.endpoint() + "&accessKey=" + https.accessKey()
                   + "&secretKey=RAW(" + https.secretKey() + ")" + options);
    }

    @Test
    void payloadsRoundTripOverTlsWhenTheCertificateIsTrusted() throws Exception {
        assertThat(https.endpoint()).startsWith("https://");
        KeyStoreParameters trustStore = new KeyStoreParameters();
        trustStore.setResource("file:" + https.certificate().trustStore());
        trustStore.setPassword(https.certificate().password());
        trustStore.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(trustStore);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(trust);
        context.getRegistry().bind("tls", tls);

        byte[] payload = new byte[300_000];
        new java.util.Random(5).nextBytes(payload);
        Exchange published = publish(httpsUri("&sslContextParameters=#tls"), payload, Map.of());
        assertThat(published.getIn().getHeader(MiniToolStreamConstants.OBJECT_NAME)).isNotNull();

        List<Delivery> deliveries = syncList();
        context.addRoutes(recordingRoute(httpsUri("&sslContextParameters=#tls&durable=tls"), deliveries));
        await("the message over TLS", 10_000, () -> deliveries.size() == 1);
        assertThat(deliveries.get(0).sha256()).isEqualTo(sha256(payload));
    }

    @Test
    void anUntrustedCertificateFailsThePublishAndStoresNothing() {
        Exchange result = template.request(httpsUri(""), e -> e.getIn().setBody("x"));
        assertThat(result.getException()).isNotNull().hasStackTraceContaining("PKIX");
        assertThat(template.requestBody(uri("operation=getLastSequence"), null, Long.class)).isZero();
    }
}
