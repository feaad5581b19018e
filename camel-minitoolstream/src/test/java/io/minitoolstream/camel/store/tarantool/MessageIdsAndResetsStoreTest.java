package io.minitoolstream.camel.store.tarantool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.minitoolstream.camel.store.NewMessage;
import io.minitoolstream.camel.store.OriginalMessage;
import io.minitoolstream.camel.store.PositionReset;
import io.minitoolstream.camel.store.StoreDuplicateException;
import io.minitoolstream.devservices.DevServicesExtension;
import io.minitoolstream.devservices.TarantoolServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** Message ids through single and grouped publishes, and the reset protocol, against a real Tarantool. */
@ExtendWith(DevServicesExtension.class)
class MessageIdsAndResetsStoreTest {

    private static TarantoolStreamStore store;

    @BeforeAll
    static void connect(TarantoolServer tarantool) {
        store = new TarantoolStreamStore(TarantoolStreamStoreTest.settings(tarantool));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void groupedPublishesCarryTheirIdsAndDuplicatesNameTheOriginal() throws Exception {
        String subject = "test.ids." + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<Long>> results = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String id = "id-" + (i % 5);
            ids.add(id);
            // fired without waiting: most go out together in publish_records calls
            results.add(store.publish(new NewMessage(subject, Map.of(), null, new byte[] { (byte) i }, 1, null, id,
                    60_000)));
        }
        Map<String, Long> stored = new HashMap<>();
        Map<String, Set<Long>> answered = new HashMap<>();
        for (int i = 0; i < results.size(); i++) {
            long sequence;
            try {
                sequence = results.get(i).get(30, TimeUnit.SECONDS);
                assertThat(stored.put(ids.get(i), sequence)).as("a second record for " + ids.get(i)).isNull();
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(StoreDuplicateException.class);
                sequence = ((StoreDuplicateException) e.getCause()).original().sequence();
            }
            answered.computeIfAbsent(ids.get(i), k -> new HashSet<>()).add(sequence);
        }
        assertThat(stored).hasSize(5);
        answered.forEach((id, sequences) -> assertThat(sequences).as(id).containsExactly(stored.get(id)));
        assertThat(store.fetchAfter(subject, 0, 100).get()).hasSize(5);
        assertThat(store.findMessageId(subject, "id-3").get()).contains(new OriginalMessage(stored.get("id-3"), null));
        assertThat(store.findMessageId(subject, "unknown").get()).isEmpty();
    }

    @Test
    void aResetIsAdoptedOnceAndUndoesAnAckThatRacedIt() throws Exception {
        String subject = "test.resets." + UUID.randomUUID();
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sequences.add(store.publish(new NewMessage(subject, Map.of(), null, new byte[] { 1 }, 1, null)).get());
        }
        long learned = store.adoptPositionReset("d", subject, null).get().resets();
        store.ack("d", subject, sequences.get(2)).get();
        assertThat(store.resetPosition("d", subject, sequences.get(0), null).get()).isEqualTo(sequences.get(0) - 1);
        store.ack("d", subject, sequences.get(3)).get(); // the running consumer's ack, after the reset
        PositionReset adopted = store.adoptPositionReset("d", subject, learned).get();
        assertThat(adopted).isEqualTo(new PositionReset(learned + 1, sequences.get(0) - 1));
        assertThat(store.consumerPosition("d", subject).get()).isEqualTo(sequences.get(0) - 1);
        assertThat(store.adoptPositionReset("d", subject, adopted.resets()).get().position()).isNull();
        assertThat(store.positionAtTime(subject, 0).get()).isEqualTo(sequences.get(0) - 1);
        assertThat(store.positionAtTime(subject, System.currentTimeMillis() + 60_000).get())
                .isEqualTo(sequences.get(3));
    }
}
