package io.minitoolstream.examples.cleaner;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.examples.RunningApp;
import io.minitoolstream.grpc.PublishRequest;
import io.minitoolstream.grpc.PublishResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The orphan sweep against the real S3 server and Tarantool. */
class OrphanSweepTest {

    /**
     * The cleaner route calls the component's sweepOrphans operation with the configured grace period. On servers
     * of its own: the sweep covers the whole bucket, and other tests' objects must not depend on its timing.
     */
    @Test
    void theCleanerRouteRemovesUnreferencedObjectsAndKeepsReferencedOnes() throws Exception {
        try (DevServices own = DevServices.startDefault();
             MinioClient ownMinio = MinioClient.builder().endpoint(own.s3().endpoint())
                     .credentials(own.s3().accessKey(), own.s3().secretKey()).build();
             RunningApp app = RunningApp.start(own, Map.of(
                     // the component refuses a grace period within the request timeout
                     "camel.component.minitoolstream.request-timeout", "2000",
                     "minitoolstream.cleaner.orphan-grace", "3s"))) {
            String subject = RunningApp.subject("orphans");
            List<String> referenced = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                PublishResponse response = app.ingress().publish(PublishRequest.newBuilder().setSubject(subject)
                        .setData(ByteString.copyFrom(new byte[100_000])).build());
                assertThat(response.getObjectName()).isNotEmpty();
                referenced.add(response.getObjectName());
            }
            List<String> orphans = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                orphans.add(subject + "/orphan-" + i);
                put(ownMinio, "minitoolstream", subject + "/orphan-" + i);
            }
            // Older than the grace period (S3 modification times have second precision)
            Thread.sleep(4_100);

            app.clean();

            for (String orphan : orphans) {
                assertThat(exists(ownMinio, "minitoolstream", orphan)).as(orphan + " removed").isFalse();
            }
            for (String name : referenced) {
                assertThat(exists(ownMinio, "minitoolstream", name)).as(name + " kept").isTrue();
            }
        }
    }

    private static void put(MinioClient client, String bucket, String name) throws Exception {
        if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }
        byte[] data = name.getBytes();
        client.putObject(PutObjectArgs.builder().bucket(bucket).object(name)
                .stream(new ByteArrayInputStream(data), data.length, -1).build());
    }

    private static boolean exists(MinioClient client, String bucket, String name) throws Exception {
        try {
            client.statObject(StatObjectArgs.builder().bucket(bucket).object(name).build());
            return true;
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return false;
            }
            throw e;
        }
    }
}
