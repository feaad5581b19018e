package io.minitoolstream.examples.cleaner;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import com.google.protobuf.ByteString;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minitoolstream.camel.store.TarantoolSettings;
import io.minitoolstream.camel.store.TarantoolStreamStore;
import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.DevServicesExtension;
import io.minitoolstream.examples.RunningApp;
import io.minitoolstream.grpc.PublishRequest;
import io.minitoolstream.grpc.PublishResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The orphan sweep against the real S3 server and Tarantool. */
@ExtendWith(DevServicesExtension.class)
class OrphanSweepTest {

    private static final String BUCKET = "orphan-sweep-test";

    private static DevServices services;
    private static MinioClient minio;

    @BeforeAll
    static void setUp(DevServices devServices) throws Exception {
        services = devServices;
        minio = MinioClient.builder().endpoint(services.s3().endpoint())
                .credentials(services.s3().accessKey(), services.s3().secretKey()).build();
        if (!minio.bucketExists(BucketExistsArgs.builder().bucket(BUCKET).build())) {
            minio.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        minio.close();
    }

    @Test
    void listingFollowsContinuationTokensAcrossPages() throws Exception {
        String prefix = "paging-" + UUID.randomUUID() + "/";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            names.add(prefix + i);
            put(BUCKET, prefix + i);
        }
        List<Integer> pageSizes = new ArrayList<>();
        List<String> listed = new ArrayList<>();
        new MinioBucket(minio, BUCKET, 2).forEachPage(page -> {
            pageSizes.add(page.size());
            page.stream().map(OrphanSweeper.StoredObject::name).filter(n -> n.startsWith(prefix))
                    .forEach(listed::add);
        });
        assertThat(listed).containsExactlyElementsOf(names);
        assertThat(pageSizes).allMatch(size -> size <= 2);
        assertThat(pageSizes.size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aMissingBucketListsAsEmpty() throws Exception {
        List<OrphanSweeper.StoredObject> listed = new ArrayList<>();
        new MinioBucket(minio, "no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8), 10)
                .forEachPage(listed::addAll);
        assertThat(listed).isEmpty();
    }

    /**
     * Needs the Lua function find_unreferenced_objects; skipped (not failed) while Tarantool reports that it is not
     * defined, and runs as soon as the Lua module provides it. On servers of its own: with a grace period of 0 the
     * sweep would remove any object of another test whose record is not written yet, or was deleted on purpose.
     */
    @Test
    void theCleanerRouteRemovesUnreferencedObjectsAndKeepsReferencedOnes() throws Exception {
        assumeTrue(luaFunctionExists(), "Tarantool has no " + TarantoolReferences.FUNCTION + " yet");
        try (DevServices own = DevServices.startDefault();
             MinioClient ownMinio = MinioClient.builder().endpoint(own.s3().endpoint())
                     .credentials(own.s3().accessKey(), own.s3().secretKey()).build();
             RunningApp app = RunningApp.start(own, Map.of(
                "minitoolstream.cleaner.orphan-grace", "0s",
                "minitoolstream.cleaner.orphan-page-size", "2"))) {
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
            // S3 modification times have second precision; the grace period is 0.
            Thread.sleep(1100);

            app.clean();

            for (String orphan : orphans) {
                assertThat(exists(ownMinio, "minitoolstream", orphan)).as(orphan + " removed").isFalse();
            }
            for (String name : referenced) {
                assertThat(exists(ownMinio, "minitoolstream", name)).as(name + " kept").isTrue();
            }
        }
    }

    /** False only when Tarantool says the function does not exist; any other failure fails the test. */
    private static boolean luaFunctionExists() throws Exception {
        try (TarantoolStreamStore store = new TarantoolStreamStore(new TarantoolSettings(
                List.of(services.tarantool().address()), services.tarantool().username(),
                services.tarantool().password(), 5000, 5000))) {
            new TarantoolReferences(store, Duration.ofSeconds(10)).unreferenced(List.of("probe/none"));
            return true;
        } catch (ExecutionException e) {
            String message = String.valueOf(e.getCause().getMessage());
            if (message.contains("is not defined") || message.contains("Execute access to function '"
                                                                       + TarantoolReferences.FUNCTION)) {
                System.out.println("Orphan sweep test skipped: " + message);
                return false;
            }
            throw e;
        }
    }

    private static void put(String bucket, String name) throws Exception {
        put(minio, bucket, name);
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
