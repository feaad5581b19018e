package io.minitoolstream.camel;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Grouping of competing consumers' acks, with calls the test completes by hand (pure logic, no server). */
class ClaimAcksTest {

    private final List<List<Long>> sent = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> calls = new CopyOnWriteArrayList<>();
    private final ClaimAcks acks = new ClaimAcks(batch -> {
        sent.add(List.copyOf(batch));
        CompletableFuture<Void> call = new CompletableFuture<>();
        calls.add(call);
        return call;
    }, 3);

    @Test
    void acksCompletedWhileACallIsOutGoTogetherInTheNextCall() throws Exception {
        acks.add(1);
        acks.add(2);
        acks.add(3);
        assertThat(sent).as("one call at a time").containsExactly(List.of(1L));
        calls.get(0).complete(null);
        assertThat(sent).containsExactly(List.of(1L), List.of(2L, 3L));
        calls.get(1).complete(null);
        assertThat(acks.flush(100)).isTrue();
    }

    @Test
    void aGroupNeverExceedsTheBatchLimit() {
        acks.add(1);
        for (long n = 2; n <= 6; n++) {
            acks.add(n);
        }
        calls.get(0).complete(null);
        calls.get(1).complete(null);
        assertThat(sent).containsExactly(List.of(1L), List.of(2L, 3L, 4L), List.of(5L, 6L));
    }

    @Test
    void aFailedCallDoesNotStopTheNextGroup() throws Exception {
        acks.add(1);
        acks.add(2);
        calls.get(0).completeExceptionally(new IllegalStateException("Tarantool down"));
        assertThat(sent).containsExactly(List.of(1L), List.of(2L));
        calls.get(1).complete(null);
        assertThat(acks.flush(100)).isTrue();
    }

    @Test
    void flushWaitsForTheCallInFlightAndGivesUpAfterTheTimeout() throws Exception {
        acks.add(1);
        assertThat(acks.flush(50)).as("the call is still out").isFalse();
        CompletableFuture.runAsync(() -> calls.get(0).complete(null));
        assertThat(acks.flush(5_000)).isTrue();
    }

    @Test
    void flushWithNothingAddedReturnsAtOnce() throws Exception {
        assertThat(acks.flush(0)).isTrue();
        assertThat(sent).isEmpty();
    }
}
