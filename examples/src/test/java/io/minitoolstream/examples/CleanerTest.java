package io.minitoolstream.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.google.protobuf.ByteString;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.DevServicesExtension;
import io.minitoolstream.grpc.FetchRequest;
import io.minitoolstream.grpc.PublishRequest;
import io.minitoolstream.grpc.PublishResponse;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The cleaner routes delete expired messages and their objects, and keep fresh ones. */
@ExtendWith(DevServicesExtension.class)
class CleanerTest {

    private static final int LARGE = 100 * 1024;

    private static DevServices services;
    private static MinioClient minio;
    private final List<RunningApp> apps = new ArrayList<>();

    @BeforeAll
    static void remember(DevServices devServices) {
        services = devServices;
        minio = MinioClient.builder().endpoint(services.s3().endpoint())
                .credentials(services.s3().accessKey(), services.s3().secretKey()).build();
    }

    @AfterEach
    void stopApps() {
        apps.forEach(RunningApp::close);
    }

    @Test
    void subjectTtlsDeleteExpiredMessagesAndTheirObjectsAndKeepFreshOnes() throws Exception {
        String shortLived = RunningApp.subject("short");
        String other = RunningApp.subject("other");
        RunningApp app = start(Map.of(
                "minitoolstream.cleaner.default-ttl", "1h",
                "minitoolstream.cleaner.subject-ttls", "unrelated=10m " + shortLived + "=2s"));

        PublishResponse oldInline = publish(app, shortLived, 10);
        PublishResponse oldLarge = publish(app, shortLived, LARGE);
        PublishResponse otherLarge = publish(app, other, LARGE);
        assertThat(oldLarge.getObjectName()).isNotEmpty();
        // create_at has second precision: after 3.1 s the old messages are more than 2 s old for sure.
        Thread.sleep(3100);
        PublishResponse freshLarge = publish(app, shortLived, LARGE);

        app.clean();

        assertThat(sequences(app, shortLived)).containsExactly(freshLarge.getSequence());
        assertThat(objectExists(oldLarge.getObjectName())).as("expired object deleted").isFalse();
        assertThat(objectExists(freshLarge.getObjectName())).as("fresh object kept").isTrue();
        // Only the subject's own TTL applies to it: the other subject keeps its messages.
        assertThat(sequences(app, other)).containsExactly(otherLarge.getSequence());
        assertThat(objectExists(otherLarge.getObjectName())).isTrue();
        assertThat(oldInline.getSequence()).isLessThan(freshLarge.getSequence());
    }

    /**
     * A default TTL of 2 s on every subject would delete the rows of every other test on the shared server: this
     * one runs on servers of its own.
     */
    @Test
    void theTimerAppliesTheDefaultTtlToEverySubject() throws Exception {
        try (DevServices own = DevServices.startDefault()) {
            MinioClient ownMinio = MinioClient.builder().endpoint(own.s3().endpoint())
                    .credentials(own.s3().accessKey(), own.s3().secretKey()).build();
            String first = RunningApp.subject("first");
            String second = RunningApp.subject("second");
            try (RunningApp publisher = start(own, Map.of(), null)) {
                PublishResponse oldFirst = publish(publisher, first, LARGE);
                PublishResponse oldSecond = publish(publisher, second, 10);
                // create_at has second precision: after 6.1 s the old ones are more than 5 s old for sure, while
                // the fresh one stays younger than 5 s for the cleaner app's start.
                Thread.sleep(6100);
                PublishResponse fresh = publish(publisher, second, 10);

                List<String> cleanerRuns = new CopyOnWriteArrayList<>();
                try (RunningApp cleaner = start(own, Map.of(
                        "minitoolstream.cleaner.default-ttl", "5s",
                        "minitoolstream.cleaner.delay", "0",
                        "minitoolstream.cleaner.period", "1h"), cleanerRuns)) {
                    assertThat(SubscribeTest.waitUntil(() -> !cleanerRuns.isEmpty(),
                            java.time.Duration.ofSeconds(15))).as("the timer ran the cleaner").isTrue();
                    assertThat(sequences(cleaner, first)).isEmpty();
                    assertThat(objectExists(ownMinio, oldFirst.getObjectName())).isFalse();
                    assertThat(sequences(cleaner, second)).containsExactly(fresh.getSequence());
                    assertThat(oldSecond.getSequence()).isLessThan(fresh.getSequence());
                }
            }
        }
    }

    private RunningApp start(Map<String, String> properties) throws Exception {
        RunningApp app = start(services, properties, null);
        apps.add(app);
        return app;
    }

    /**
     * Starts an app on {@code servers} (the caller closes it); with {@code runs} given, records each completed run
     * of the cleaner's timer route.
     */
    private static RunningApp start(DevServices servers, Map<String, String> properties, List<String> runs)
            throws Exception {
        return RunningApp.start(servers, properties, context -> {
            if (runs != null) {
                context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
                    @Override
                    public void notify(CamelEvent event) {
                        if (event instanceof CamelEvent.ExchangeCompletedEvent completed
                                && "cleaner".equals(completed.getExchange().getFromRouteId())) {
                            runs.add(completed.getExchange().getExchangeId());
                        }
                    }
                });
            }
        });
    }

    private static PublishResponse publish(RunningApp app, String subject, int size) {
        PublishResponse response = app.ingress().publish(PublishRequest.newBuilder().setSubject(subject)
                .setData(ByteString.copyFrom(new byte[size])).build());
        assertThat(response.getStatusCode()).as(response.getErrorMessage()).isZero();
        return response;
    }

    private static List<Long> sequences(RunningApp app, String subject) {
        List<Long> sequences = new ArrayList<>();
        app.egress().fetch(FetchRequest.newBuilder().setSubject(subject).setDurableName("check")
                .setBatchSize(100).build()).forEachRemaining(message -> sequences.add(message.getSequence()));
        return sequences;
    }

    static boolean objectExists(String objectName) throws Exception {
        return objectExists(minio, objectName);
    }

    private static boolean objectExists(MinioClient client, String objectName) throws Exception {
        try {
            client.statObject(StatObjectArgs.builder().bucket("minitoolstream").object(objectName).build());
            return true;
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return false;
            }
            throw e;
        }
    }
}
