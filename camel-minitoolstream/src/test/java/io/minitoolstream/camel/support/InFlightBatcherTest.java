package io.minitoolstream.camel.support;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Batching with bounded calls in flight, with calls the test completes by hand (pure logic, no server). */
@Tag("fast")
class InFlightBatcherTest {

    private final List<List<Long>> sent = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> calls = new CopyOnWriteArrayList<>();
    private final InFlightBatcher<Long> acks = new InFlightBatcher<>(batch -> {
        sent.add(List.copyOf(batch));
        CompletableFuture<Void> call = new CompletableFuture<>();
        calls.add(call);
        return call;
    }, 1, 3);

    @Test
    void acksCompletedWhileACallIsOutGoTogetherInTheNextCall() throws Exception {
        acks.add(1L);
        acks.add(2L);
        acks.add(3L);
        assertThat(sent).as("one call at a time").containsExactly(List.of(1L));
        calls.get(0).complete(null);
        assertThat(sent).containsExactly(List.of(1L), List.of(2L, 3L));
        calls.get(1).complete(null);
        assertThat(acks.flush(100)).isTrue();
    }

    @Test
    void aGroupNeverExceedsTheBatchLimit() {
        acks.add(1L);
        for (long n = 2; n <= 6; n++) {
            acks.add(n);
        }
        calls.get(0).complete(null);
        calls.get(1).complete(null);
        assertThat(sent).containsExactly(List.of(1L), List.of(2L, 3L, 4L), List.of(5L, 6L));
    }

    @Test
    void aFailedCallDoesNotStopTheNextGroup() throws Exception {
        acks.add(1L);
        acks.add(2L);
        calls.get(0).completeExceptionally(new IllegalStateException("Tarantool down"));
        assertThat(sent).containsExactly(List.of(1L), List.of(2L));
        calls.get(1).complete(null);
        assertThat(acks.flush(100)).isTrue();
    }

    @Test
    void flushWaitsForTheCallInFlightAndGivesUpAfterTheTimeout() throws Exception {
        acks.add(1L);
        assertThat(acks.flush(50)).as("the call is still out").isFalse();
        CompletableFuture.runAsync(() -> calls.get(0).complete(null));
        assertThat(acks.flush(5_000)).isTrue();
    }

    @Test
    void flushWithNothingAddedReturnsAtOnce() throws Exception {
        assertThat(acks.flush(0)).isTrue();
        assertThat(sent).isEmpty();
    }
    @Test
    void upToTheLimitOfCallsGoOutAtOnceThenItemsQueue() throws Exception {
        InFlightBatcher<Long> two = new InFlightBatcher<>(batch -> {
            sent.add(List.copyOf(batch));
            CompletableFuture<Void> call = new CompletableFuture<>();
            calls.add(call);
            return call;
        }, 2, 10);
        two.add(1L);
        two.add(2L);
        two.add(3L);
        two.add(4L);
        assertThat(sent).as("two calls out, the rest queued").containsExactly(List.of(1L), List.of(2L));
        calls.get(1).complete(null);
        assertThat(sent).containsExactly(List.of(1L), List.of(2L), List.of(3L, 4L));
        calls.get(0).complete(null);
        calls.get(2).complete(null);
        assertThat(two.flush(100)).isTrue();
    }

    @Test
    void aSenderThatThrowsCountsAsAFailedCall() throws Exception {
        InFlightBatcher<Long> throwing = new InFlightBatcher<>(batch -> {
            throw new IllegalStateException("no connection");
        }, 1, 10);
        throwing.add(1L);
        throwing.add(2L);
        assertThat(throwing.flush(100)).as("the slot is given back").isTrue();
    }
}
