package io.minitoolstream.examples;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.minitoolstream.devservices.LuaDir;
import io.minitoolstream.grpc.EgressServiceGrpc;
import io.minitoolstream.grpc.FetchRequest;
import io.minitoolstream.grpc.IngressServiceGrpc;
import io.minitoolstream.grpc.Message;
import io.minitoolstream.grpc.PublishRequest;
import io.minitoolstream.grpc.PublishResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as a user runs it: its own JVM, no Tarantool configured, ports from environment variables.
 * It starts the embedded servers with their data under {@code data/embedded} of the working directory, writes
 * their connection settings to {@code data/minitoolstream.properties}, serves gRPC and its health endpoint, and on
 * Ctrl-C (SIGINT) stops everything it started, promptly. The next run finds the data, the same ports and the same
 * credentials, so the connection file other tools use stays valid.
 */
class EmbeddedApplicationTest {

    private static final Pattern DATA_DIR = Pattern.compile("Tarantool .* \\(user \\S+, data (\\S+)\\)");

    @Test
    void startsEmbeddedServersKeepsTheirDataAndWritesTheirConnectionSettings(@TempDir Path workDir)
            throws Exception {
        int ingressPort = RunningApp.freePort();
        int egressPort = RunningApp.freePort();
        int managementPort = RunningApp.freePort();
        Path connectionFile = workDir.resolve("data/minitoolstream.properties");
        PublishResponse published;
        Properties firstConnection;
        try (ChildApp app = start(workDir, ingressPort, egressPort, managementPort)) {
            assertThat(app.contains("started embedded servers")).isTrue();
            assertThat(app.contains("health and metrics: http://127.0.0.1:" + managementPort + "/observe/health"))
                    .as("the banner says where health is: %s", app.outputText()).isTrue();
            assertThat(app.contains("Connection settings for other tools (Camel JBang, bin/run client): "
                                    + connectionFile)).as(app.outputText()).isTrue();
            List<ProcessHandle> tarantool = app.process.toHandle().descendants()
                    .filter(p -> p.info().command().orElse("").contains("tarantool")).toList();
            assertThat(tarantool).as("the embedded Tarantool is a child of the application").hasSize(1);
            assertThat(dataDir(app.output)).isEqualTo(workDir.resolve("data/embedded/tarantool"));

            published = publish(ingressPort, "demo", "hello");
            assertThat(fetch(egressPort, "demo").getData().toStringUtf8()).isEqualTo("hello");
            // Camel reports a polling consumer DOWN until its first poll: readiness may take a moment.
            assertThat(SubscribeTest.waitUntil(() -> readinessStatus(managementPort) == 200, Duration.ofSeconds(20)))
                    .as("ready on the embedded servers: %s", readinessText(managementPort)).isTrue();

            firstConnection = load(connectionFile);
            assertThat(Files.getPosixFilePermissions(connectionFile))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(firstConnection.getProperty("minitoolstream.client.ingress"))
                    .isEqualTo("127.0.0.1:" + ingressPort);
            assertThat(app.outputText()).doesNotContain(firstConnection.getProperty(ConnectionFile.PASSWORD))
                    .doesNotContain(firstConnection.getProperty(ConnectionFile.SECRET_KEY));
            // What Camel JBang or any other Camel application does with the file: it reaches the same stream.
            assertThat(lastSequenceThrough(firstConnection, "demo")).isEqualTo(published.getSequence());

            long stopping = System.nanoTime();
            new ProcessBuilder("kill", "-INT", String.valueOf(app.process.pid())).start().waitFor();
            assertThat(app.process.waitFor(30, TimeUnit.SECONDS)).as("stopped after Ctrl-C: %s", app.outputText())
                    .isTrue();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopping)).isLessThan(15);
            assertThat(SubscribeTest.waitUntil(() -> tarantool.stream().noneMatch(ProcessHandle::isAlive),
                    Duration.ofSeconds(10))).as("Tarantool stopped").isTrue();
            assertThat(SubscribeTest.waitUntil(() -> app.contains("Stopping the embedded Tarantool and S3 server"),
                    Duration.ofSeconds(5))).as(app.outputText()).isTrue();
        }
        assertThat(workDir.resolve("data/embedded/tarantool")).as("the embedded data is kept").isDirectory();

        try (ChildApp again = start(workDir, ingressPort, egressPort, managementPort)) {
            Properties secondConnection = load(connectionFile);
            for (String key : List.of(ConnectionFile.ADDRESSES, ConnectionFile.PASSWORD, ConnectionFile.S3_ENDPOINT,
                    ConnectionFile.ACCESS_KEY, ConnectionFile.SECRET_KEY)) {
                assertThat(secondConnection.getProperty(key)).as(key + " reused")
                        .isEqualTo(firstConnection.getProperty(key));
            }
            Message kept = fetch(egressPort, "demo");
            assertThat(kept.getSequence()).as("the message of the first run").isEqualTo(published.getSequence());
            assertThat(kept.getData().toStringUtf8()).isEqualTo("hello");
        }
    }

    private static ChildApp start(Path workDir, int ingressPort, int egressPort, int managementPort)
            throws Exception {
        ChildApp app = ChildApp.start(workDir, env -> {
            env.put("MINITOOLSTREAM_INGRESS_PORT", String.valueOf(ingressPort));
            env.put("MINITOOLSTREAM_EGRESS_PORT", String.valueOf(egressPort));
            env.put("MINITOOLSTREAM_MANAGEMENT_PORT", String.valueOf(managementPort));
            env.put(LuaDir.ENV, LuaDir.locate().toString());
        });
        try {
            assertThat(app.awaitOutput("MiniToolStream examples running", Duration.ofSeconds(90)))
                    .as("started: %s", app.outputText()).isTrue();
            return app;
        } catch (Throwable t) {
            app.close();
            throw t;
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        return properties;
    }

    /** A plain CamelContext configured from the connection file only. */
    private static long lastSequenceThrough(Properties connection, String subject) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getPropertiesComponent().setInitialProperties(connection);
            camel.start();
            camel.getComponent("minitoolstream", io.minitoolstream.camel.MiniToolStreamComponent.class);
            String uri = "minitoolstream:" + subject + "?operation=getLastSequence"
                         + "&addresses={{" + ConnectionFile.ADDRESSES + "}}&username={{" + ConnectionFile.USERNAME
                         + "}}&password=RAW({{" + ConnectionFile.PASSWORD + "}})&s3Endpoint={{"
                         + ConnectionFile.S3_ENDPOINT + "}}&accessKey=RAW({{" + ConnectionFile.ACCESS_KEY
                         + "}})&secretKey=RAW({{" + ConnectionFile.SECRET_KEY + "}})";
            return camel.createProducerTemplate().requestBody(uri, null, Long.class);
        }
    }

    private static PublishResponse publish(int ingressPort, String subject, String text) throws InterruptedException {
        ManagedChannel ingress = NettyChannelBuilder.forAddress("127.0.0.1", ingressPort).usePlaintext().build();
        try {
            PublishResponse published = IngressServiceGrpc.newBlockingStub(ingress)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .publish(PublishRequest.newBuilder().setSubject(subject)
                            .setData(ByteString.copyFromUtf8(text)).build());
            assertThat(published.getStatusCode()).as(published.getErrorMessage()).isZero();
            return published;
        } finally {
            ingress.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static Message fetch(int egressPort, String subject) throws InterruptedException {
        ManagedChannel egress = NettyChannelBuilder.forAddress("127.0.0.1", egressPort).usePlaintext().build();
        try {
            return EgressServiceGrpc.newBlockingStub(egress).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .fetch(FetchRequest.newBuilder().setSubject(subject).setDurableName("me").setBatchSize(1).build())
                    .next();
        } finally {
            egress.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static int readinessStatus(int port) {
        try {
            return ManagementHttp.get(port, "/observe/health/ready").status();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** For the failure message: what readiness says, checks included. */
    private static String readinessText(int port) {
        try {
            return ManagementHttp.get(port, "/observe/health/ready?exposureLevel=full").toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static Path dataDir(List<String> output) {
        for (String line : output) {
            Matcher matcher = DATA_DIR.matcher(line);
            if (matcher.find()) {
                return Path.of(matcher.group(1));
            }
        }
        throw new AssertionError("no Tarantool data dir in the output: " + output);
    }
}
