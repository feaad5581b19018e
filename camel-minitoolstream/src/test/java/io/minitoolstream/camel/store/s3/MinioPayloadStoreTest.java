package io.minitoolstream.camel.store.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minitoolstream.camel.store.PayloadNotFoundException;
import io.minitoolstream.camel.store.PayloadStoreException;
import io.minitoolstream.camel.store.StoredObject;
import io.minitoolstream.devservices.DevServicesExtension;
import io.minitoolstream.devservices.GeneratedStream;
import io.minitoolstream.devservices.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link MinioPayloadStore} against the in-process S3 server. */
@ExtendWith(DevServicesExtension.class)
class MinioPayloadStoreTest {

    private static S3Settings settings;
    private static MinioPayloadStore store;

    @BeforeAll
    static void connect(S3Server s3) {
        settings = settings(s3, "mts-store-test-" + UUID.randomUUID().toString().substring(0, 8), true);
        store = new MinioPayloadStore(settings);
        store.ensureBucket();
        store.ensureBucket(); // idempotent
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
    }

    private static S3Settings settings(S3Server s3, String bucket, boolean autoCreate) {
        return new S3Settings(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey(), bucket, autoCreate);
    }

    @Test
    void knownSizePutAndGetKeepTheBytes() throws Exception {
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        new Random(11).nextBytes(payload);
        String name = objectName();
        store.put(name, new ByteArrayInputStream(payload), payload.length, "application/x-test");

        assertThat(store.exists(name)).isTrue();
        try (InputStream in = store.get(name)) {
            assertThat(sha256(in)).isEqualTo(sha256(new ByteArrayInputStream(payload)));
        }
        assertThat(store.client().statObject(StatObjectArgs.builder().bucket(settings.bucket()).object(name).build())
                .contentType()).isEqualTo("application/x-test");
    }

    @Test
    void emptyPayloadRoundTrips() throws Exception {
        String name = objectName();
        store.put(name, new ByteArrayInputStream(new byte[0]), 0, null);
        try (InputStream in = store.get(name)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void unknownSizeStreamIsUploadedInPartsAndReadBackIdentical() throws Exception {
        long size = 30L * 1024 * 1024 + 12_345; // three full 10 MB parts and a short one
        GeneratedStream generated = new GeneratedStream(size, 99);
        String name = objectName();
        store.put(name, generated, -1, null);
        assertThat(generated.position()).isEqualTo(size);

        try (InputStream in = store.get(name)) {
            CountingDigest read = new CountingDigest();
            read.consume(in);
            assertThat(read.count).isEqualTo(size);
            assertThat(read.hex()).isEqualTo(generated.sha256());
        }
        long stored = store.client().statObject(StatObjectArgs.builder().bucket(settings.bucket()).object(name).build())
                .size();
        assertThat(stored).isEqualTo(size);
    }

    @Test
    void getOfAMissingObjectThrowsPayloadNotFound() {
        String name = objectName();
        assertThatThrownBy(() -> store.get(name))
                .isInstanceOf(PayloadNotFoundException.class)
                .hasMessageContaining(name)
                .hasMessageContaining(settings.bucket())
                .satisfies(e -> assertThat(((PayloadNotFoundException) e).getObjectName()).isEqualTo(name));
    }

    @Test
    void deleteRemovesAndToleratesMissingObjects() {
        String name = objectName();
        store.put(name, new ByteArrayInputStream(new byte[] {1, 2, 3}), 3, null);
        assertThat(store.exists(name)).isTrue();
        store.delete(name);
        assertThat(store.exists(name)).isFalse();
        assertThatCode(() -> store.delete(name)).doesNotThrowAnyException();
        assertThatCode(() -> store.delete(objectName())).doesNotThrowAnyException();
    }

    @Test
    void existsIsFalseForAMissingObject() {
        assertThat(store.exists(objectName())).isFalse();
    }

    @Test
    void listingHandsOverPagesFollowingContinuationTokens() {
        String prefix = "paging-" + UUID.randomUUID() + "/";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            names.add(prefix + i);
            byte[] data = {(byte) i};
            store.put(prefix + i, new ByteArrayInputStream(data), data.length, null);
        }
        List<Integer> pageSizes = new ArrayList<>();
        List<String> listed = new ArrayList<>();
        store.forEachObjectPage(2, page -> {
            pageSizes.add(page.size());
            page.stream().map(StoredObject::name).filter(n -> n.startsWith(prefix)).forEach(listed::add);
        });
        assertThat(listed).containsExactlyElementsOf(names);
        assertThat(pageSizes).allMatch(size -> size <= 2);
        assertThat(pageSizes.size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aMissingBucketListsAsEmpty(S3Server s3) {
        try (MinioPayloadStore missing = new MinioPayloadStore(settings(s3, "mts-none-"
                + UUID.randomUUID().toString().substring(0, 8), false))) {
            List<StoredObject> listed = new ArrayList<>();
            missing.forEachObjectPage(10, listed::addAll);
            assertThat(listed).isEmpty();
        }
    }

    @Test
    void ensureBucketWithoutAutoCreateFailsNamingTheBucket(S3Server s3) {
        String bucket = "mts-missing-" + UUID.randomUUID().toString().substring(0, 8);
        try (MinioPayloadStore strict = new MinioPayloadStore(settings(s3, bucket, false))) {
            assertThatThrownBy(strict::ensureBucket)
                    .isInstanceOf(PayloadStoreException.class)
                    .hasMessageContaining(bucket)
                    .hasMessageNotContaining(s3.secretKey());
        }
    }

    @Test
    void ensureBucketWithAutoCreateCreatesIt(S3Server s3) throws Exception {
        String bucket = "mts-created-" + UUID.randomUUID().toString().substring(0, 8);
        try (MinioPayloadStore creating = new MinioPayloadStore(settings(s3, bucket, true))) {
            creating.ensureBucket();
            assertThat(creating.client().bucketExists(BucketExistsArgs.builder().bucket(bucket).build())).isTrue();
        }
    }

    @Test
    void failuresNameBucketAndObjectButNotTheSecret(S3Server s3) {
        String bucket = "mts-absent-" + UUID.randomUUID().toString().substring(0, 8);
        try (MinioPayloadStore absent = new MinioPayloadStore(settings(s3, bucket, false))) {
            assertThatThrownBy(() -> absent.put("o/1", new ByteArrayInputStream(new byte[] {1}), 1, null))
                    .isInstanceOf(PayloadStoreException.class)
                    .hasMessageContaining(bucket)
                    .hasMessageContaining("o/1")
                    .hasMessageNotContaining(s3.secretKey());
        }
        S3Settings wrongSecret = new S3Settings(s3.endpoint(), s3.region(), s3.accessKey(), "wrong-secret-value",
                settings.bucket(), false);
        try (MinioPayloadStore wrong = new MinioPayloadStore(wrongSecret)) {
            assertThatThrownBy(() -> wrong.get("o/2"))
                    .isInstanceOf(PayloadStoreException.class)
                    .isNotInstanceOf(PayloadNotFoundException.class)
                    .hasMessageContaining(settings.bucket())
                    .hasMessageNotContaining("wrong-secret-value");
        }
    }

    @Test
    void aUserSuppliedClientStaysOpen() throws Exception {
        MinioClient client = io.minitoolstream.camel.store.s3.S3Clients.create(settings);
        try {
            MinioPayloadStore borrowed = new MinioPayloadStore(client, settings);
            String name = objectName();
            borrowed.put(name, new ByteArrayInputStream(new byte[] {4, 5}), 2, null);
            borrowed.close();
            try (MinioPayloadStore again = new MinioPayloadStore(client, settings); InputStream in = again.get(name)) {
                assertThat(in.readAllBytes()).containsExactly(4, 5);
            }
        } finally {
            client.close();
        }
    }

    @Test
    void settingsDoNotPrintTheSecretKey() {
        S3Settings s = new S3Settings("http://localhost:9000", null, "AKIA", "super-secret", "b", true);
        assertThat(s.toString()).doesNotContain("super-secret").contains("AKIA", "b");
    }

    @Test
    void socketsHaveTcpNoDelay() throws IOException {
        try (Socket socket = new NoDelaySocketFactory().createSocket()) {
            assertThat(socket.getTcpNoDelay()).isTrue();
        }
    }

    private static String objectName() {
        return "test.subject/" + UUID.randomUUID();
    }

    private static String sha256(InputStream in) throws IOException {
        CountingDigest digest = new CountingDigest();
        digest.consume(in);
        return digest.hex();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class CountingDigest {
        private final MessageDigest digest = newSha256();
        private long count;

        void consume(InputStream in) throws IOException {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
                count += n;
            }
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest()).toLowerCase(Locale.ROOT);
        }
    }
}
