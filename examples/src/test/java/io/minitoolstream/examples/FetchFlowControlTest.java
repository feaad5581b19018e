package io.minitoolstream.examples;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.DevServicesExtension;
import io.minitoolstream.grpc.FetchRequest;
import io.minitoolstream.grpc.Message;
import io.minitoolstream.grpc.PublishRequest;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fetch streams with flow control: a client that stops reading holds the stream (nothing piles up in memory),
 * and a client that cancels releases it at once, not after the stall timeout.
 */
@ExtendWith(DevServicesExtension.class)
class FetchFlowControlTest {

    private static final int MESSAGES = 20;
    private static final int SIZE = 1024 * 1024;

    @Test
    void aCancelledFetchEndsTheRouteAtOnce(DevServices services) throws Exception {
        List<Long> egressDone = new CopyOnWriteArrayList<>();
        try (RunningApp app = RunningApp.start(services, Map.of("minitoolstream.egress.stall-timeout", "60s"),
                context -> context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
                    @Override
                    public void notify(CamelEvent event) {
                        if (event instanceof CamelEvent.ExchangeCompletedEvent completed
                                && "egress".equals(completed.getExchange().getFromRouteId())) {
                            egressDone.add(System.nanoTime());
                        }
                    }
                }))) {
            String subject = RunningApp.subject("flow");
            for (int i = 0; i < MESSAGES; i++) {
                assertThat(app.ingress().publish(PublishRequest.newBuilder().setSubject(subject)
                        .setData(ByteString.copyFrom(new byte[SIZE])).build()).getStatusCode()).isZero();
            }

            SlowReader reader = new SlowReader();
            app.egressAsync().fetch(FetchRequest.newBuilder().setSubject(subject).setDurableName("slow")
                    .setBatchSize(MESSAGES).build(), reader);
            Message first = reader.first.get(30, TimeUnit.SECONDS);
            assertThat(first.getData().size()).isEqualTo(SIZE);

            // The client reads nothing more: the server waits instead of queueing the other 19 MB.
            Thread.sleep(1000);
            assertThat(egressDone).as("the fetch is still waiting for the client").isEmpty();
            assertThat(reader.received).isLessThan(MESSAGES);

            long cancelled = System.nanoTime();
            reader.call.cancel("enough", null);
            assertThat(SubscribeTest.waitUntil(() -> !egressDone.isEmpty(), Duration.ofSeconds(10)))
                    .as("the fetch route ended after the cancel").isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(egressDone.get(0) - cancelled)).isLessThan(3000);
        }
    }

    /** Takes one message and then asks for no more. */
    private static final class SlowReader implements ClientResponseObserver<FetchRequest, Message> {
        final CompletableFuture<Message> first = new CompletableFuture<>();
        volatile int received;
        ClientCallStreamObserver<FetchRequest> call;

        @Override
        public void beforeStart(ClientCallStreamObserver<FetchRequest> requestStream) {
            call = requestStream;
            requestStream.disableAutoRequestWithInitial(1);
        }

        @Override
        public void onNext(Message value) {
            received++;
            first.complete(value);
        }

        @Override
        public void onError(Throwable t) {
            first.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            first.completeExceptionally(new AssertionError("completed after " + received));
        }
    }
}
