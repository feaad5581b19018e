package io.minitoolstream.examples;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.DevServicesExtension;
import io.minitoolstream.examples.grpc.SubscriptionHub;
import io.minitoolstream.grpc.AckRequest;
import io.minitoolstream.grpc.EgressServiceGrpc;
import io.minitoolstream.grpc.Notification;
import io.minitoolstream.grpc.PublishRequest;
import io.minitoolstream.grpc.SubscribeRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** Subscribe streams over real gRPC: notifications, baselines, cancellation and shutdown. */
@ExtendWith(DevServicesExtension.class)
class SubscribeTest {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private static DevServices services;
    private static RunningApp app;

    @BeforeAll
    static void start(DevServices devServices) throws Exception {
        services = devServices;
        app = RunningApp.start(services, Map.of(
                "minitoolstream.egress.subscribe-poll-interval", POLL_INTERVAL.toMillis() + "ms"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aPublishIsNotifiedWithinOnePollInterval() throws Exception {
        String subject = RunningApp.subject("sub");
        publish(subject);
        try (Subscriber subscriber = Subscriber.open(app, SubscribeRequest.newBuilder().setSubject(subject).build())) {
            // Without start_sequence or durable only new messages are announced.
            assertThat(subscriber.notifications.poll(POLL_INTERVAL.toMillis() * 3, TimeUnit.MILLISECONDS)).isNull();

            long published = publish(subject);
            long sentAt = System.nanoTime();
            Notification notification = subscriber.notifications.poll(10, TimeUnit.SECONDS);
            long latencyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);

            assertThat(notification).isNotNull();
            assertThat(notification.getSubject()).isEqualTo(subject);
            assertThat(notification.getSequence()).isEqualTo(published);
            // One poll interval, plus the poll's own round trip on a busy machine.
            assertThat(latencyMillis).isLessThan(POLL_INTERVAL.toMillis() + 400);

            long newest = 0;
            for (int i = 0; i < 3; i++) {
                newest = publish(subject);
            }
            assertThat(awaitSequence(subscriber, newest)).isEqualTo(newest);
        }
    }

    @Test
    void aDurableIsNotifiedOfWhatItHasNotAcknowledged() throws Exception {
        String subject = RunningApp.subject("durable");
        long first = publish(subject);
        long second = publish(subject);
        app.egress().ackMessage(AckRequest.newBuilder().setSubject(subject).setDurableName("caught-up")
                .setSequence(second).build());

        try (Subscriber behind = Subscriber.open(app, SubscribeRequest.newBuilder().setSubject(subject)
                .setDurableName("behind").build());
             Subscriber caughtUp = Subscriber.open(app, SubscribeRequest.newBuilder().setSubject(subject)
                     .setDurableName("caught-up").build())) {
            Notification notification = behind.notifications.poll(5, TimeUnit.SECONDS);
            assertThat(notification).isNotNull();
            assertThat(notification.getSequence()).isEqualTo(second);
            assertThat(caughtUp.notifications.poll(POLL_INTERVAL.toMillis() * 3, TimeUnit.MILLISECONDS)).isNull();
            assertThat(first).isLessThan(second);
        }
    }

    @Test
    void startSequenceSetsWhereNotificationsBegin() throws Exception {
        String subject = RunningApp.subject("start");
        long first = publish(subject);
        long second = publish(subject);

        try (Subscriber fromFirst = Subscriber.open(app, SubscribeRequest.newBuilder().setSubject(subject)
                .setStartSequence(first).build());
             Subscriber fromNext = Subscriber.open(app, SubscribeRequest.newBuilder().setSubject(subject)
                     .setStartSequence(second + 1).build())) {
            Notification notification = fromFirst.notifications.poll(5, TimeUnit.SECONDS);
            assertThat(notification).isNotNull();
            assertThat(notification.getSequence()).isEqualTo(second);
            assertThat(fromNext.notifications.poll(POLL_INTERVAL.toMillis() * 3, TimeUnit.MILLISECONDS)).isNull();

            long third = publish(subject);
            assertThat(awaitSequence(fromNext, third)).isEqualTo(third);
        }
    }

    @Test
    void aCancelledStreamIsForgotten() throws Exception {
        SubscriptionHub hub = app.context().getRegistry().lookupByNameAndType("subscriptionHub",
                SubscriptionHub.class);
        String subject = RunningApp.subject("cancel");
        Subscriber subscriber = Subscriber.open(app, SubscribeRequest.newBuilder().setSubject(subject).build());
        assertThat(hub.subscriptionCount(subject)).isEqualTo(1);

        subscriber.close();
        assertThat(waitUntil(() -> hub.subscriptionCount(subject) == 0, Duration.ofSeconds(5)))
                .as("the hub dropped the cancelled stream").isTrue();
    }

    @Test
    void stoppingTheApplicationEndsOpenStreamsWithoutWaiting() throws Exception {
        RunningApp other = RunningApp.start(services, Map.of());
        try {
            Subscriber subscriber = Subscriber.open(other, SubscribeRequest.newBuilder()
                    .setSubject(RunningApp.subject("shutdown")).build());
            long started = System.nanoTime();
            other.main.stop();
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            Status end = subscriber.ended.get(5, TimeUnit.SECONDS);
            assertThat(end.getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.CANCELLED);
            // Camel's shutdown timeout is 10 s: an open stream holding up the stop would show here.
            assertThat(stopMillis).isLessThan(5000);
        } finally {
            other.close();
        }
    }

    private static long publish(String subject) {
        return app.ingress().publish(PublishRequest.newBuilder().setSubject(subject)
                .setData(ByteString.copyFromUtf8("x")).build()).getSequence();
    }

    private static long awaitSequence(Subscriber subscriber, long sequence) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long seen = -1;
        while (seen < sequence && System.nanoTime() < deadline) {
            Notification notification = subscriber.notifications.poll(1, TimeUnit.SECONDS);
            if (notification != null) {
                seen = notification.getSequence();
            }
        }
        return seen;
    }

    static boolean waitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    /** An open Subscribe call, registered with the hub when {@link #open} returns. */
    static final class Subscriber implements AutoCloseable, ClientResponseObserver<SubscribeRequest, Notification> {
        final BlockingQueue<Notification> notifications = new LinkedBlockingQueue<>();
        final CompletableFuture<Status> ended = new CompletableFuture<>();
        private ClientCallStreamObserver<SubscribeRequest> call;

        static Subscriber open(RunningApp app, SubscribeRequest request) throws InterruptedException {
            SubscriptionHub hub = app.context().getRegistry().lookupByNameAndType("subscriptionHub",
                    SubscriptionHub.class);
            int before = hub.subscriptionCount(request.getSubject());
            Subscriber subscriber = new Subscriber();
            EgressServiceGrpc.EgressServiceStub stub = app.egressAsync();
            stub.subscribe(request, subscriber);
            if (!waitUntil(() -> hub.subscriptionCount(request.getSubject()) > before || subscriber.ended.isDone(),
                    Duration.ofSeconds(10))) {
                throw new AssertionError("the subscription was not registered");
            }
            return subscriber;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
            this.call = requestStream;
        }

        @Override
        public void onNext(Notification value) {
            notifications.add(value);
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            ended.complete(Status.OK);
        }

        @Override
        public void close() {
            call.cancel("test done", null);
        }
    }
}
