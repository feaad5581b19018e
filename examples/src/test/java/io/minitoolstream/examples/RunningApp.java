package io.minitoolstream.examples;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.S3Server;
import io.minitoolstream.devservices.TarantoolServer;
import io.minitoolstream.grpc.EgressServiceGrpc;
import io.minitoolstream.grpc.FetchRequest;
import io.minitoolstream.grpc.IngressServiceGrpc;
import io.minitoolstream.grpc.Message;
import io.minitoolstream.grpc.PublishRequest;
import io.minitoolstream.grpc.PublishResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The examples application running in this JVM against dev services (external mode; the shared ones unless a test
 * brings its own), on free ports (gRPC and the management HTTP server), with gRPC channels to it. The cleaner's
 * timer and the file drop are off unless a test turns them on.
 */
public final class RunningApp implements AutoCloseable {

    final Main main;
    final int ingressPort;
    final int egressPort;
    final int managementPort;
    final Path dataDir;
    final String filesSubject;
    private final ManagedChannel ingressChannel;
    private final ManagedChannel egressChannel;

    private RunningApp(Main main, int ingressPort, int egressPort, int managementPort, Path dataDir,
                       String filesSubject) {
        this.main = main;
        this.ingressPort = ingressPort;
        this.egressPort = egressPort;
        this.managementPort = managementPort;
        this.dataDir = dataDir;
        this.filesSubject = filesSubject;
        this.ingressChannel = channel(ingressPort);
        this.egressChannel = channel(egressPort);
    }

    public static RunningApp start(DevServices services, Map<String, String> extra) throws Exception {
        return start(services, extra, context -> { });
    }

    /** {@code beforeStart} sees the CamelContext after the routes are loaded, before it starts. */
    public static RunningApp start(DevServices services, Map<String, String> extra, Consumer<CamelContext> beforeStart)
            throws Exception {
        return start(services.tarantool(), services.s3(), extra, beforeStart);
    }

    /** On these servers (a test that stops one uses its own, not the shared ones). */
    public static RunningApp start(TarantoolServer tarantool, S3Server s3, Map<String, String> extra,
                                   Consumer<CamelContext> beforeStart) throws Exception {
        int ingressPort = freePort();
        int egressPort = freePort();
        int managementPort = freePort();
        Path dataDir = Files.createTempDirectory("minitoolstream-examples-test-");
        String filesSubject = "files-" + UUID.randomUUID().toString().substring(0, 8);
        Properties overrides = new Properties();
        overrides.setProperty("camel.component.minitoolstream.addresses", tarantool.address());
        overrides.setProperty("camel.component.minitoolstream.username", tarantool.username());
        overrides.setProperty("camel.component.minitoolstream.password", tarantool.password());
        overrides.setProperty("camel.component.minitoolstream.s3-endpoint", s3.endpoint());
        overrides.setProperty("camel.component.minitoolstream.access-key", s3.accessKey());
        overrides.setProperty("camel.component.minitoolstream.secret-key", s3.secretKey());
        overrides.setProperty(Settings.INGRESS_PORT, String.valueOf(ingressPort));
        overrides.setProperty(Settings.EGRESS_PORT, String.valueOf(egressPort));
        overrides.setProperty(Settings.MANAGEMENT_PORT, String.valueOf(managementPort));
        overrides.setProperty(Settings.SUBSCRIBE_POLL_INTERVAL, "200ms");
        overrides.setProperty("minitoolstream.cleaner.delay", "1h");
        overrides.setProperty("minitoolstream.files.enabled", "false");
        overrides.setProperty("minitoolstream.files.subject", filesSubject);
        overrides.setProperty("minitoolstream.files.inbox", dataDir.resolve("inbox").toString());
        overrides.setProperty("minitoolstream.files.outbox", dataDir.resolve("outbox").toString());
        overrides.setProperty("minitoolstream.files.read-lock-check-interval", "200");
        overrides.putAll(extra);
        Main main = ExampleApp.create(overrides);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                beforeStart.accept(configured.getCamelContext());
            }
        });
        try {
            main.start();
        } catch (Exception e) {
            main.stop();
            TestFiles.deleteRecursively(dataDir);
            throw e;
        }
        return new RunningApp(main, ingressPort, egressPort, managementPort, dataDir, filesSubject);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public IngressServiceGrpc.IngressServiceBlockingStub ingress() {
        return IngressServiceGrpc.newBlockingStub(ingressChannel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    public EgressServiceGrpc.EgressServiceBlockingStub egress() {
        return EgressServiceGrpc.newBlockingStub(egressChannel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    public EgressServiceGrpc.EgressServiceStub egressAsync() {
        return EgressServiceGrpc.newStub(egressChannel);
    }

    @Override
    public void close() {
        ingressChannel.shutdownNow();
        egressChannel.shutdownNow();
        main.stop();
        TestFiles.deleteRecursively(dataDir);
    }

    public PublishResponse publish(String subject, String text, Map<String, String> headers) {
        return ingress().publish(PublishRequest.newBuilder().setSubject(subject).setData(ByteString.copyFromUtf8(text))
                .putAllHeaders(headers).build());
    }

    /** Up to {@code batchSize} messages after the durable's position (Fetch does not move it). */
    public List<Message> fetch(String subject, String durable, int batchSize) {
        List<Message> messages = new ArrayList<>();
        egress().fetch(FetchRequest.newBuilder().setSubject(subject).setDurableName(durable).setBatchSize(batchSize)
                .build()).forEachRemaining(messages::add);
        return messages;
    }

    /** Runs the cleaner once, now (what the timer does every period). */
    public void clean() {
        context().createProducerTemplate().requestBody("direct:clean", (Object) null);
    }

    public static String subject(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static ManagedChannel channel(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build();
    }
}
