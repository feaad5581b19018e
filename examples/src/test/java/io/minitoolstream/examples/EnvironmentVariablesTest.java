package io.minitoolstream.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.DevServicesExtension;
import io.minitoolstream.grpc.EgressServiceGrpc;
import io.minitoolstream.grpc.FetchRequest;
import io.minitoolstream.grpc.IngressServiceGrpc;
import io.minitoolstream.grpc.Message;
import io.minitoolstream.grpc.PublishRequest;
import io.minitoolstream.grpc.PublishResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented way to point the application at your own servers: only environment variables
 * ({@code CAMEL_COMPONENT_MINITOOLSTREAM_*} for the component, {@code MINITOOLSTREAM_*} for the application), no
 * properties file, no {@code -D}. The application runs in its own JVM; a publish above the inline threshold must
 * land in the bucket named by the environment on the S3 server named by it, and come back over gRPC.
 */
@ExtendWith(DevServicesExtension.class)
class EnvironmentVariablesTest {

    @Test
    void connectsToTheServersTheEnvironmentNames(DevServices services, @TempDir Path workDir) throws Exception {
        int ingressPort = RunningApp.freePort();
        int egressPort = RunningApp.freePort();
        int managementPort = RunningApp.freePort();
        String bucket = "env-" + UUID.randomUUID().toString().substring(0, 8);
        try (ChildApp app = ChildApp.start(workDir, env -> {
            env.put("CAMEL_COMPONENT_MINITOOLSTREAM_ADDRESSES", services.tarantool().address());
            env.put("CAMEL_COMPONENT_MINITOOLSTREAM_USERNAME", services.tarantool().username());
            env.put("CAMEL_COMPONENT_MINITOOLSTREAM_PASSWORD", services.tarantool().password());
            env.put("CAMEL_COMPONENT_MINITOOLSTREAM_S3_ENDPOINT", services.s3().endpoint());
            env.put("CAMEL_COMPONENT_MINITOOLSTREAM_ACCESS_KEY", services.s3().accessKey());
            env.put("CAMEL_COMPONENT_MINITOOLSTREAM_SECRET_KEY", services.s3().secretKey());
            env.put("CAMEL_COMPONENT_MINITOOLSTREAM_BUCKET", bucket);
            env.put("MINITOOLSTREAM_INGRESS_PORT", String.valueOf(ingressPort));
            env.put("MINITOOLSTREAM_EGRESS_PORT", String.valueOf(egressPort));
            env.put("MINITOOLSTREAM_MANAGEMENT_PORT", String.valueOf(managementPort));
            env.put("MINITOOLSTREAM_FILES_ENABLED", "false");
            env.put("MINITOOLSTREAM_CLEANER_DELAY", "1h");
        })) {
            assertThat(app.awaitOutput("MiniToolStream examples running", ChildApp.seconds(90)))
                    .as("started: %s", app.outputText()).isTrue();
            assertThat(app.contains("Using Tarantool at " + services.tarantool().address()))
                    .as("external servers, nothing embedded: %s", app.outputText()).isTrue();

            String subject = RunningApp.subject("env");
            byte[] large = new byte[100 * 1024];
            new java.util.Random(7).nextBytes(large);
            roundTrip(ingressPort, egressPort, subject, large);

            assertThat(objectsIn(services, bucket)).as("the payload is in the bucket the environment named")
                    .singleElement().asString().startsWith(subject + "/");
            assertThat(SubscribeTest.waitUntil(() -> ready(managementPort), ChildApp.seconds(20)))
                    .as("ready: %s", app.outputText()).isTrue();
            assertThat(app.outputText()).doesNotContain(services.tarantool().password())
                    .doesNotContain(services.s3().secretKey());
        }
    }

    private static void roundTrip(int ingressPort, int egressPort, String subject, byte[] payload)
            throws InterruptedException {
        ManagedChannel ingress = NettyChannelBuilder.forAddress("127.0.0.1", ingressPort).usePlaintext().build();
        ManagedChannel egress = NettyChannelBuilder.forAddress("127.0.0.1", egressPort).usePlaintext().build();
        try {
            PublishResponse published = IngressServiceGrpc.newBlockingStub(ingress)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .publish(PublishRequest.newBuilder().setSubject(subject)
                            .setData(ByteString.copyFrom(payload)).build());
            assertThat(published.getStatusCode()).as(published.getErrorMessage()).isZero();
            Message message = EgressServiceGrpc.newBlockingStub(egress).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .fetch(FetchRequest.newBuilder().setSubject(subject).setDurableName("me").setBatchSize(1).build())
                    .next();
            assertThat(message.getSequence()).isEqualTo(published.getSequence());
            assertThat(message.getData().toByteArray()).isEqualTo(payload);
        } finally {
            ingress.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            egress.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static List<String> objectsIn(DevServices services, String bucket) throws Exception {
        MinioClient client = MinioClient.builder().endpoint(services.s3().endpoint())
                .credentials(services.s3().accessKey(), services.s3().secretKey()).build();
        List<String> names = new ArrayList<>();
        for (Result<Item> item : client.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
            names.add(item.get().objectName());
        }
        return names;
    }

    private static boolean ready(int port) {
        try {
            return ManagementHttp.get(port, "/observe/health/ready").status() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
