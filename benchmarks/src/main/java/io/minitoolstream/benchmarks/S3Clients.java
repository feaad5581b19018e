package io.minitoolstream.benchmarks;

import java.io.ByteArrayInputStream;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minitoolstream.camel.store.s3.MinioPayloadStore;
import io.minitoolstream.camel.store.s3.S3Settings;

/** Raw S3 peers: the component's TCP_NODELAY client, and MinIO's default client for reference. */
final class S3Clients {

    private S3Clients() {
    }

    /** The same client the component creates ({@link MinioPayloadStore#createClient(S3Settings)}). */
    static MinioClient noDelay(S3Settings settings) {
        return io.minitoolstream.camel.store.s3.S3Clients.create(settings);
    }

    /** MinioClient with its own default HTTP client (Nagle on). */
    static MinioClient minioDefault(S3Settings settings) {
        return MinioClient.builder().endpoint(settings.endpoint()).region(settings.region())
                .credentials(settings.accessKey(), settings.secretKey()).build();
    }

    static void ensureBucket(MinioClient client, String bucket) throws Exception {
        if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }
    }

    static void put(MinioClient client, String bucket, String objectName, byte[] body) throws Exception {
        client.putObject(PutObjectArgs.builder().bucket(bucket).object(objectName)
                .stream(new ByteArrayInputStream(body), body.length, -1)
                .contentType("application/octet-stream").build());
    }

    static void close(MinioClient client) {
        try {
            client.close();
        } catch (Exception e) {
            Log.info("closing a MinIO client failed: %s", e);
        }
    }
}
