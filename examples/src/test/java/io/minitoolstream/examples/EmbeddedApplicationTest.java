package io.minitoolstream.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as a user runs it: its own JVM, no Tarantool configured, ports from environment variables.
 * It starts the embedded servers, serves gRPC and its health endpoint, and on Ctrl-C (SIGINT) stops everything it
 * started, promptly.
 */
class EmbeddedApplicationTest {

    private static final Pattern DATA_DIR = Pattern.compile("Tarantool .* \\(user \\S+, data (\\S+)\\)");

    @Test
    void startsEmbeddedServersServesAndStopsCleanlyOnCtrlC(@TempDir Path workDir) throws Exception {
        int ingressPort = RunningApp.freePort();
        int egressPort = RunningApp.freePort();
        int managementPort = RunningApp.freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), ExamplesApplication.class.getName())
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("CAMEL_COMPONENT_MINITOOLSTREAM"));
        env.put("MINITOOLSTREAM_INGRESS_PORT", String.valueOf(ingressPort));
        env.put("MINITOOLSTREAM_EGRESS_PORT", String.valueOf(egressPort));
        env.put("MINITOOLSTREAM_MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put(LuaDir.ENV, LuaDir.locate().toString());
        Process app = builder.start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> readLines(app, output), "app-output");
        reader.setDaemon(true);
        reader.start();
        try {
            assertThat(SubscribeTest.waitUntil(() -> contains(output, "MiniToolStream examples running")
                    || !app.isAlive(), java.time.Duration.ofSeconds(90)))
                    .as("started: %s", output).isTrue();
            assertThat(app.isAlive()).as("running: %s", output).isTrue();
            assertThat(contains(output, "started embedded servers")).isTrue();
            assertThat(contains(output, "health and metrics: http://127.0.0.1:" + managementPort + "/observe/health"))
                    .as("the banner says where health is: %s", output).isTrue();
            List<ProcessHandle> tarantool = app.toHandle().descendants()
                    .filter(p -> p.info().command().orElse("").contains("tarantool")).toList();
            assertThat(tarantool).as("the embedded Tarantool is a child of the application").hasSize(1);
            Path tarantoolData = dataDir(output);
            assertThat(tarantoolData).isDirectory();

            roundTrip(ingressPort, egressPort);
            // Camel reports a polling consumer DOWN until its first poll: readiness may take a moment.
            boolean ready = SubscribeTest.waitUntil(() -> readinessStatus(managementPort) == 200,
                    java.time.Duration.ofSeconds(20));
            assertThat(ready).as("ready on the embedded servers: %s", readinessText(managementPort)).isTrue();

            long stopping = System.nanoTime();
            new ProcessBuilder("kill", "-INT", String.valueOf(app.pid())).start().waitFor();
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("stopped after Ctrl-C: %s", output).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopping)).isLessThan(15);
            assertThat(SubscribeTest.waitUntil(() -> tarantool.stream().noneMatch(ProcessHandle::isAlive),
                    java.time.Duration.ofSeconds(10))).as("Tarantool stopped").isTrue();
            reader.join(5000);
            assertThat(contains(output, "Stopping the embedded Tarantool and S3 server")).as("%s", output).isTrue();
            assertThat(tarantoolData).as("the embedded data was removed").doesNotExist();
        } finally {
            app.destroyForcibly();
            app.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static void roundTrip(int ingressPort, int egressPort) throws InterruptedException {
        ManagedChannel ingress = NettyChannelBuilder.forAddress("127.0.0.1", ingressPort).usePlaintext().build();
        ManagedChannel egress = NettyChannelBuilder.forAddress("127.0.0.1", egressPort).usePlaintext().build();
        try {
            PublishResponse published = IngressServiceGrpc.newBlockingStub(ingress)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .publish(PublishRequest.newBuilder().setSubject("demo")
                            .setData(ByteString.copyFromUtf8("hello")).build());
            assertThat(published.getStatusCode()).as(published.getErrorMessage()).isZero();
            Message message = EgressServiceGrpc.newBlockingStub(egress).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .fetch(FetchRequest.newBuilder().setSubject("demo").setDurableName("me").setBatchSize(1).build())
                    .next();
            assertThat(message.getSequence()).isEqualTo(published.getSequence());
            assertThat(message.getData().toStringUtf8()).isEqualTo("hello");
        } finally {
            ingress.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
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

    private static boolean contains(List<String> output, String text) {
        return output.stream().anyMatch(line -> line.contains(text));
    }

    private static void readLines(Process process, List<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
