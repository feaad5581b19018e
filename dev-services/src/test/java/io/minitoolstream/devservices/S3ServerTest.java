package io.minitoolstream.devservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class S3ServerTest {

    private static S3Server server;
    private static MinioClient client;

    @BeforeAll
    static void startServer() {
        server = S3Server.builder().build().start();
        client = clientFor(server, server.secretKey());
    }

    @AfterAll
    static void closeServer() {
        Path baseDir = server.baseDir();
        server.close();
        assertThat(baseDir).doesNotExist();
    }

    @Test
    void putGetListDeleteAFiveMegabyteObject() throws Exception {
        String bucket = "roundtrip";
        client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        byte[] payload = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(payload);

        client.putObject(PutObjectArgs.builder().bucket(bucket).object("dir/big.bin")
                .stream(new ByteArrayInputStream(payload), payload.length, -1).build());

        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object("dir/big.bin").build())) {
            assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(payload));
        }
        assertThat(listNames(bucket)).containsExactly("dir/big.bin");

        client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object("dir/big.bin").build());
        assertThat(listNames(bucket)).isEmpty();
        assertThatThrownBy(() -> client.statObject(StatObjectArgs.builder().bucket(bucket).object("dir/big.bin").build()))
                .isInstanceOf(ErrorResponseException.class);
    }

    @Test
    void wrongSecretKeyIsRefused() {
        MinioClient intruder = clientFor(server, server.secretKey() + "x");
        assertThatThrownBy(() -> intruder.bucketExists(BucketExistsArgs.builder().bucket("any").build()))
                .isInstanceOfSatisfying(ErrorResponseException.class,
                        e -> assertThat(e.response().code()).isEqualTo(403));
    }

    @Test
    void objectsSurviveStopAndStartOnTheSamePort() throws Exception {
        try (S3Server own = S3Server.builder().build().start()) {
            MinioClient ownClient = clientFor(own, own.secretKey());
            ownClient.makeBucket(MakeBucketArgs.builder().bucket("durable").build());
            byte[] payload = "kept across restarts".getBytes();
            ownClient.putObject(PutObjectArgs.builder().bucket("durable").object("k")
                    .stream(new ByteArrayInputStream(payload), payload.length, -1).build());
            String endpoint = own.endpoint();

            own.stop();
            assertThat(own.isRunning()).isFalse();
            assertThatThrownBy(() -> ownClient.bucketExists(BucketExistsArgs.builder().bucket("durable").build()))
                    .isInstanceOf(IOException.class);

            own.start();
            assertThat(own.endpoint()).isEqualTo(endpoint);
            try (InputStream in = ownClient.getObject(GetObjectArgs.builder().bucket("durable").object("k").build())) {
                assertThat(in.readAllBytes()).isEqualTo(payload);
            }
        }
    }

    @Test
    void givenBaseDirIsUsedAndKept() throws Exception {
        Path dir = Files.createTempDirectory("s3-given-");
        try {
            try (S3Server own = S3Server.builder().baseDir(dir).accessKey("ak").secretKey("sk-secret").build().start()) {
                clientFor(own, "sk-secret").makeBucket(MakeBucketArgs.builder().bucket("on-disk").build());
            }
            assertThat(dir.resolve("on-disk")).isDirectory();
        } finally {
            TempDirs.deleteQuietly(dir);
        }
    }

    @Test
    void secretKeyIsNotInToString() {
        assertThat(server.toString()).contains(server.endpoint()).doesNotContain(server.secretKey());
        assertThat(server.region()).isEqualTo("us-east-1");
        assertThat(server.endpoint()).isEqualTo("http://127.0.0.1:" + server.port());
    }

    private static MinioClient clientFor(S3Server s3, String secretKey) {
        return MinioClient.builder().endpoint(s3.endpoint()).region(s3.region())
                .credentials(s3.accessKey(), secretKey).build();
    }

    private static List<String> listNames(String bucket) throws Exception {
        List<String> names = new ArrayList<>();
        for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
            names.add(result.get().objectName());
        }
        return names;
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
