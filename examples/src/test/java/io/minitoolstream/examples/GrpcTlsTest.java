package io.minitoolstream.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.DevServicesExtension;
import io.minitoolstream.examples.client.DemoClient;
import io.minitoolstream.grpc.EgressServiceGrpc;
import io.minitoolstream.grpc.FetchRequest;
import io.minitoolstream.grpc.IngressServiceGrpc;
import io.minitoolstream.grpc.Message;
import io.minitoolstream.grpc.PublishRequest;
import io.minitoolstream.grpc.PublishResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Both gRPC servers with TLS, which camel-grpc makes mutual: certificates generated for this run, a client that
 * trusts the server's certificate and presents its own gets through; plaintext and certificate-less clients do not.
 */
@ExtendWith(DevServicesExtension.class)
class GrpcTlsTest {

    private static Path dir;
    private static TlsFiles server;
    private static TlsFiles client;
    private static RunningApp app;

    @BeforeAll
    static void start(DevServices services) throws Exception {
        dir = Files.createTempDirectory("minitoolstream-grpc-tls-");
        server = TlsFiles.create(dir.resolve("server"));
        client = TlsFiles.create(dir.resolve("client"));
        app = RunningApp.start(services, Map.of(
                Settings.GRPC_NEGOTIATION_TYPE, "TLS",
                Settings.GRPC_TLS_CERT_CHAIN, server.certificateResource(),
                Settings.GRPC_TLS_PRIVATE_KEY, server.privateKeyResource(),
                // The client's self-signed certificate is its own CA.
                Settings.GRPC_TLS_CLIENT_CA, client.certificateResource()));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        TestFiles.deleteRecursively(dir);
    }

    @Test
    void publishAndFetchOverMutualTls() throws Exception {
        String subject = RunningApp.subject("tls");
        ManagedChannel ingress = tlsChannel(app.ingressPort, true);
        ManagedChannel egress = tlsChannel(app.egressPort, true);
        try {
            PublishResponse published = IngressServiceGrpc.newBlockingStub(ingress)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .publish(PublishRequest.newBuilder().setSubject(subject)
                            .setData(ByteString.copyFromUtf8("secret payload")).build());
            assertThat(published.getStatusCode()).as(published.getErrorMessage()).isZero();
            List<Message> fetched = new ArrayList<>();
            EgressServiceGrpc.newBlockingStub(egress).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .fetch(FetchRequest.newBuilder().setSubject(subject).setDurableName("d").setBatchSize(10).build())
                    .forEachRemaining(fetched::add);
            assertThat(fetched).extracting(m -> m.getData().toStringUtf8()).containsExactly("secret payload");
        } finally {
            ingress.shutdownNow();
            egress.shutdownNow();
        }
    }

    @Test
    void plaintextClientsAreRefused() {
        String subject = RunningApp.subject("plain");
        assertUnavailable(() -> app.ingress().publish(PublishRequest.newBuilder().setSubject(subject).build()));
        assertUnavailable(() -> app.egress().fetch(FetchRequest.newBuilder().setSubject(subject)
                .setDurableName("d").setBatchSize(1).build()).hasNext());
    }

    @Test
    void clientsWithoutACertificateAreRefused() throws Exception {
        ManagedChannel ingress = tlsChannel(app.ingressPort, false);
        try {
            assertUnavailable(() -> IngressServiceGrpc.newBlockingStub(ingress)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .publish(PublishRequest.newBuilder().setSubject(RunningApp.subject("nocert")).build()));
        } finally {
            ingress.shutdownNow();
        }
    }

    @Test
    void theDemoClientSpeaksTls() {
        String subject = RunningApp.subject("demo-tls");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DemoClient demo = new DemoClient(new PrintStream(out, true, StandardCharsets.UTF_8), Map.of(
                "MTS_INGRESS", "localhost:" + app.ingressPort, "MTS_EGRESS", "localhost:" + app.egressPort));
        String[] tls = {"--tls-ca", server.certificate().toString(), "--tls-cert", client.certificate().toString(),
                "--tls-key", client.privateKey().toString()};
        assertThat(demo.run(concat(tls, "publish", subject, "over tls"))).as(out.toString()).isZero();
        assertThat(demo.run(concat(tls, "last", subject))).as(out.toString()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("published " + subject, subject + " last sequence");
        assertThat(demo.run("last", subject)).as("plaintext").isEqualTo(1);
        assertThat(demo.run("--tls-cert", client.certificate().toString(), "last", subject))
                .as("a certificate without its key is bad usage").isEqualTo(2);
    }

    private static ManagedChannel tlsChannel(int port, boolean withClientCertificate) throws Exception {
        SslContextBuilder tls = GrpcSslContexts.forClient().trustManager(server.certificate().toFile());
        if (withClientCertificate) {
            tls.keyManager(client.certificate().toFile(), client.privateKey().toFile());
        }
        return NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(tls.build()).build();
    }

    private static void assertUnavailable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).as(e.getStatus().toString())
                        .isEqualTo(Status.Code.UNAVAILABLE));
    }

    private static String[] concat(String[] options, String... command) {
        List<String> all = new ArrayList<>(List.of(options));
        all.addAll(List.of(command));
        return all.toArray(String[]::new);
    }
}
