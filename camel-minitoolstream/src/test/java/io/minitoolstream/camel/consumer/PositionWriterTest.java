package io.minitoolstream.camel.consumer;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The coalescing position writer, with ack calls the test completes by hand (pure logic, no server). */
@Tag("fast")
class PositionWriterTest {

    /** Ack calls in the order they were made; the test completes or fails them. */
    private final List<Long> sent = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Boolean>> calls = new CopyOnWriteArrayList<>();
    private final PositionWriter writer = new PositionWriter(sequence -> {
        sent.add(sequence);
        CompletableFuture<Boolean> call = new CompletableFuture<>();
        calls.add(call);
        return call;
    }, "durable test");

    @Test
    void completionsDuringAnAckInFlightAreFoldedIntoOneNextCall() {
        writer.advance(1);
        writer.advance(2);
        writer.advance(3);
        writer.advance(4);
        assertThat(sent).as("one call in flight at a time").containsExactly(1L);

        calls.get(0).complete(true);
        assertThat(sent).as("2..4 coalesced into the highest").containsExactly(1L, 4L);
        calls.get(1).complete(true);
        assertThat(writer.stored()).isEqualTo(4);
        assertThat(writer.flush(100)).isTrue();
        assertThat(sent).hasSize(2);
    }

    @Test
    void olderSequencesNeverMoveThePositionBack() {
        writer.advance(5);
        calls.get(0).complete(true);
        writer.advance(3);
        assertThat(sent).containsExactly(5L);
        assertThat(writer.stored()).isEqualTo(5);
    }

    @Test
    void aFailedAckIsNotRetriedPerMessageButByFlush() {
        writer.advance(1);
        calls.get(0).completeExceptionally(new IllegalStateException("Tarantool down"));
        writer.advance(2);
        writer.advance(3);
        assertThat(sent).as("no call while the last one failed").containsExactly(1L);

        CompletableFuture.runAsync(() -> {
            while (calls.size() < 2) {
                Thread.onSpinWait();
            }
            calls.get(1).complete(true);
        });
        assertThat(writer.flush(5_000)).isTrue();
        assertThat(sent).containsExactly(1L, 3L);
        assertThat(writer.stored()).isEqualTo(3);
    }

    @Test
    void flushReportsAFailureThatPersistsAndKeepsTheStoredPosition() {
        writer.advance(7);
        calls.get(0).complete(true);
        writer.advance(9);
        calls.get(1).completeExceptionally(new IllegalStateException("down"));
        CompletableFuture.runAsync(() -> {
            while (calls.size() < 3) {
                Thread.onSpinWait();
            }
            calls.get(2).completeExceptionally(new IllegalStateException("still down"));
        });
        assertThat(writer.flush(5_000)).isFalse();
        assertThat(writer.stored()).isEqualTo(7);
    }

    @Test
    void flushGivesUpWhenTheCallOutlivesTheTimeout() {
        writer.advance(1);
        long started = System.nanoTime();
        assertThat(writer.flush(50)).isFalse();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(50_000_000L);
        assertThat(writer.stored()).isZero();
    }

    @Test
    void flushWithNothingCompletedMakesNoCall() {
        assertThat(writer.flush(10)).isTrue();
        assertThat(sent).isEmpty();
    }
}
