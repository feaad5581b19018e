package io.minitoolstream.examples;

import io.minitoolstream.examples.grpc.auth.AuthSettings;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says where the gRPC services listen and how to try them, once the application runs. */
class TryItBanner extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TryItBanner.class);

    @Override
    public void afterStart(BaseMainSupport main) {
        Settings settings = new Settings(main.getCamelContext());
        String host = settings.text(Settings.GRPC_HOST, "127.0.0.1");
        int ingress = settings.integer(Settings.INGRESS_PORT, 50051);
        int egress = settings.integer(Settings.EGRESS_PORT, 50052);
        String auth = !settings.bool(AuthSettings.ENABLED, false) ? "" : """

                Authentication is on: every call needs a token. With the HS256 secret in this shell, mint one:
                  export MINITOOLSTREAM_AUTH_HS256_SECRET=...   # the server's minitoolstream.auth.hs256-secret
                  export MTS_TOKEN=$(bin/run client token me publish,fetch,subscribe,ack 'demo')""";
        String tls = !"TLS".equalsIgnoreCase(settings.text(Settings.GRPC_NEGOTIATION_TYPE, "PLAINTEXT")) ? "" : """

                TLS is on (mutual): put these options before each client command:
                  --tls-ca <CA of the server certificate> --tls-cert <client certificate> --tls-key <its key>""";
        LOG.info("""
                MiniToolStream examples running
                  gRPC IngressService (Publish)                                 {}:{}
                  gRPC EgressService (Fetch, AckMessage, GetLastSequence, Subscribe) {}:{}
                  health and metrics: {}
                  file drop: files put in {} are published to subject {} and written to {}
                Try it from another terminal:
                  bin/run client publish demo "hello world"
                  bin/run client fetch demo me
                  bin/run client ack demo me 1
                  bin/run client last demo
                  bin/run client subscribe demo{}{}""", host, ingress, host, egress, managementUrls(settings),
                settings.text("minitoolstream.files.inbox", "data/inbox"),
                settings.text("minitoolstream.files.subject", "files"),
                settings.text("minitoolstream.files.outbox", "data/outbox"), auth, tls);
    }

    private static String managementUrls(Settings settings) {
        if (!"true".equals(settings.text("camel.management.enabled", "false"))) {
            return "off (camel.management.enabled)";
        }
        String base = "http://" + settings.text(Settings.MANAGEMENT_HOST, "127.0.0.1") + ":"
                      + settings.integer(Settings.MANAGEMENT_PORT, 8080);
        return base + "/observe/health, " + base + "/observe/metrics";
    }
}
