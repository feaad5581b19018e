package io.minitoolstream.camel.store.tarantool;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.minitoolstream.camel.store.ExpiredMessage;
import io.minitoolstream.camel.store.NewMessage;
import io.minitoolstream.camel.store.NewMessagesStatus;
import io.minitoolstream.camel.store.SchemaVersion;
import io.minitoolstream.camel.store.StoreInvalidArgumentException;
import io.minitoolstream.camel.store.StoreUnavailableException;
import io.minitoolstream.camel.store.StoredMessage;
import io.minitoolstream.camel.store.StreamStoreException;
import io.minitoolstream.devservices.DevServicesExtension;
import io.minitoolstream.devservices.TarantoolServer;
import io.tarantool.driver.api.TarantoolClientFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link TarantoolStreamStore} against a real Tarantool running {@code lua/init.lua}. */
@ExtendWith(DevServicesExtension.class)
class TarantoolStreamStoreTest {

    private static TarantoolStreamStore store;

    @BeforeAll
    static void connect(TarantoolServer tarantool) {
        store = new TarantoolStreamStore(settings(tarantool));
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
    }

    static TarantoolSettings settings(TarantoolServer tarantool) {
        return TarantoolSettings.of(String.join(",", tarantool.address()), tarantool.username(), tarantool.password(), 5_000,
                10_000);
    }

    // ---------------------------------------------------------------------------------------------
    // publish / fetch

    @Test
    void aGroupOfClaimedAcksCountsEachAndNamesTheRefusedOnes() {
        String subject = subject();
        List<Long> sequences = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sequences.add(await(store.publish(inline(subject, new byte[] { (byte) i }, Map.of(), null))));
        }
        long foreign = await(store.publish(inline(subject(), new byte[] { 9 }, Map.of(), null)));
        assertThat(await(store.claim(subject, "grouped", "c1", 10, 30))).hasSize(4);

        Map<Long, String> refused = await(store.ackClaimed(subject, "grouped", "c1",
                List.of(sequences.get(1), sequences.get(0), foreign, sequences.get(3))));
        assertThat(refused).containsOnlyKeys(foreign);
        assertThat(refused.get(foreign)).contains("invalid sequence " + foreign);
        assertThat(await(store.consumerPosition("grouped", subject))).as("floor over the contiguous first two")
                .isEqualTo(sequences.get(1));
        assertThat(await(store.ackClaimed(subject, "grouped", "c1", List.of(sequences.get(2))))).isEmpty();
        assertThat(await(store.consumerPosition("grouped", subject))).isEqualTo(sequences.get(3));
    }

    @Test
    void concurrentPublishesSentInGroupsKeepEachRecordsBytesHeadersAndError() {
        String subject = subject();
        int count = 300;
        List<NewMessage> sent = new java.util.ArrayList<>();
        List<CompletableFuture<Long>> results = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] payload = randomBytes(100 + i, i);
            NewMessage message = i % 7 == 3
                    ? new NewMessage(subject, Map.of("i", String.valueOf(i)), subject + "/object-" + i, null, -1, null)
                    : inline(i == 151 ? "bad subject" : subject, payload, Map.of("i", String.valueOf(i), "ключ", "✓"),
                            i % 2 == 0 ? "application/octet-stream" : null);
            sent.add(message);
            // fired without waiting: all but the first few queue and go out together in publish_records calls
            results.add(store.publish(message));
        }
        assertThatThrownBy(() -> await(results.get(151))).as("a definite refusal, typed also inside a group")
                .isInstanceOf(StoreInvalidArgumentException.class).hasMessageContaining("invalid subject 'bad subject'");
        List<Long> sequences = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i != 151) {
                sequences.add(await(results.get(i)));
            }
        }
        assertThat(sequences).doesNotHaveDuplicates();

        Map<Long, StoredMessage> stored = new java.util.HashMap<>();
        long after = 0;
        List<StoredMessage> page;
        while (!(page = await(store.fetchAfter(subject, after, 1000))).isEmpty()) {
            page.forEach(m -> stored.put(m.sequence(), m));
            after = page.get(page.size() - 1).sequence();
        }
        assertThat(stored).hasSize(count - 1);
        int index = 0;
        for (int i = 0; i < count; i++) {
            if (i == 151) {
                continue;
            }
            NewMessage expected = sent.get(i);
            StoredMessage actual = stored.get(sequences.get(index++));
            assertThat(actual.headers()).as("record %d", i).isEqualTo(expected.headers());
            assertThat(actual.objectName()).isEqualTo(expected.objectName());
            assertThat(actual.contentType()).isEqualTo(expected.contentType());
            if (expected.isInline()) {
                assertThat(actual.inlinePayload()).as("record %d", i).isEqualTo(expected.inlinePayload());
                assertThat(actual.size()).isEqualTo(expected.inlinePayload().length);
            } else {
                assertThat(actual.size()).isNull();
            }
        }
    }

    @Test
    void publishedMessagesComeBackInOrderWithExactBytesAndHeaders() {
        String subject = subject();
        byte[] binary = randomBytes(64 * 1024, 1);
        binary[0] = (byte) 0xFF; // certainly not UTF-8
        byte[] cesu = {'x', (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'y'};
        byte[] text = "héllo wörld ✓ \uD83D\uDE00 \u0000 кириллица".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            headers.put("ключ-" + i + "-✓", "значение " + i + " \uD83D\uDE00");
        }

        long s1 = await(store.publish(inline(subject, binary, headers, "application/octet-stream")));
        long s2 = await(store.publish(inline(subject, new byte[0], Map.of(), null)));
        long s3 = await(store.publish(inline(subject, text, Map.of("lang", "ru"), "text/plain; charset=utf-8")));
        long s4 = await(store.publish(new NewMessage(subject, Map.of("kind", "big"), subject + "/" + UUID.randomUUID(),
                null, 123_456_789L, "video/mp4")));
        long s5 = await(store.publish(inline(subject, cesu, Map.of(), null)));
        assertThat(List.of(s1, s2, s3, s4, s5)).isSorted().doesNotHaveDuplicates();

        List<StoredMessage> messages = await(store.fetchAfter(subject, 0, 100));
        assertThat(messages).extracting(StoredMessage::sequence).containsExactly(s1, s2, s3, s4, s5);
        assertThat(messages).extracting(StoredMessage::subject).containsOnly(subject);

        StoredMessage m1 = messages.get(0);
        assertThat(m1.isInline()).isTrue();
        assertThat(m1.inlinePayload()).isEqualTo(binary);
        assertThat(m1.headers()).isEqualTo(headers);
        assertThat(m1.size()).isEqualTo(binary.length);
        assertThat(m1.contentType()).isEqualTo("application/octet-stream");
        assertThat(m1.objectName()).isNull();
        long now = System.currentTimeMillis() / 1000;
        assertThat(m1.createdAtSeconds()).isBetween(now - 60, now + 60);

        StoredMessage m2 = messages.get(1);
        assertThat(m2.isInline()).isTrue();
        assertThat(m2.inlinePayload()).isEmpty();
        assertThat(m2.size()).isZero();
        assertThat(m2.headers()).isEmpty();
        assertThat(m2.contentType()).isNull();

        StoredMessage m3 = messages.get(2);
        assertThat(m3.inlinePayload()).isEqualTo(text);
        assertThat(m3.headers()).containsExactly(Map.entry("lang", "ru"));
        assertThat(m3.contentType()).isEqualTo("text/plain; charset=utf-8");

        StoredMessage m4 = messages.get(3);
        assertThat(m4.isInline()).isFalse();
        assertThat(m4.inlinePayload()).isNull();
        assertThat(m4.objectName()).startsWith(subject + "/");
        assertThat(m4.size()).isEqualTo(123_456_789L);
        assertThat(m4.contentType()).isEqualTo("video/mp4");
        assertThat(m4.headers()).containsExactly(Map.entry("kind", "big"));

        assertThat(messages.get(4).inlinePayload()).isEqualTo(cesu);

        assertThat(await(store.fetchAfter(subject, s2, 2))).extracting(StoredMessage::sequence)
                .containsExactly(s3, s4);
        assertThat(await(store.fetchAfter(subject, s5, 10))).isEmpty();
    }

    @Test
    void everyByteValueSurvivesInline() {
        String subject = subject();
        Random random = new Random(7);
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] payload = randomBytes(random.nextInt(16), random.nextLong());
            payloads.add(payload);
            await(store.publish(inline(subject, payload, Map.of(), null)));
        }
        List<StoredMessage> messages = await(store.fetchAfter(subject, 0, 100));
        assertThat(messages).hasSize(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(messages.get(i).inlinePayload()).as("payload %d", i).isEqualTo(payloads.get(i));
        }
    }

    @Test
    void lastSequenceIsZeroForAnEmptySubjectAndTheNewestOtherwise() {
        String subject = subject();
        assertThat(await(store.lastSequence(subject))).isZero();
        await(store.publish(inline(subject, bytes("a"), Map.of(), null)));
        long last = await(store.publish(inline(subject, bytes("b"), Map.of(), null)));
        await(store.publish(inline(subject(), bytes("other subject"), Map.of(), null)));
        assertThat(await(store.lastSequence(subject))).isEqualTo(last);
    }

    @Test
    void concurrentPublishesGetDistinctIncreasingSequences() {
        String subject = subject();
        long before = await(store.lastSequence(subject));
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            futures.add(store.publish(inline(subject, bytes("message " + i), Map.of("i", String.valueOf(i)), null)));
        }
        TreeSet<Long> sequences = new TreeSet<>();
        for (CompletableFuture<Long> future : futures) {
            sequences.add(await(future));
        }
        assertThat(sequences).hasSize(64);
        assertThat(sequences.first()).isGreaterThan(before);

        List<StoredMessage> messages = await(store.fetchAfter(subject, 0, 1000));
        assertThat(messages).extracting(StoredMessage::sequence).containsExactlyElementsOf(sequences);
        assertThat(await(store.lastSequence(subject))).isEqualTo(sequences.last());
    }

    @Test
    void aBadSubjectFailsNamingTheSubject() {
        assertThatThrownBy(() -> await(store.publish(inline("bad subject", bytes("x"), Map.of(), null))))
                .isInstanceOf(StoreInvalidArgumentException.class)
                .hasMessageContaining("publish_record")
                .hasMessageContaining("bad subject");
        assertThatThrownBy(() -> await(store.fetchAfter("tab\tsubject", 0, 10)))
                .isInstanceOf(StoreInvalidArgumentException.class)
                .hasMessageContaining("fetch_messages");
        String tooLong = "s".repeat(256);
        assertThatThrownBy(() -> await(store.lastSequence(tooLong)))
                .isInstanceOf(StoreInvalidArgumentException.class)
                .hasMessageContaining("get_latest_sequence_for_subject");
    }

    @Test
    void anInlineSizeThatDoesNotMatchThePayloadIsRejected() {
        assertThatThrownBy(() -> await(store.publish(
                new NewMessage(subject(), Map.of(), null, bytes("four"), 5, null))))
                .isInstanceOf(StoreInvalidArgumentException.class)
                .hasMessageContaining("size");
    }

    // ---------------------------------------------------------------------------------------------
    // consumers

    @Test
    void ackIsMonotonicAndMovesThePosition() {
        String subject = subject();
        String durable = durable();
        long s1 = publishText(subject, "1");
        long s2 = publishText(subject, "2");
        long s3 = publishText(subject, "3");

        assertThat(await(store.consumerPosition(durable, subject))).isZero();
        assertThat(await(store.ack(durable, subject, s2))).isTrue();
        assertThat(await(store.consumerPosition(durable, subject))).isEqualTo(s2);
        assertThat(await(store.ack(durable, subject, s1))).isFalse();
        assertThat(await(store.ack(durable, subject, s2))).isFalse();
        assertThat(await(store.consumerPosition(durable, subject))).isEqualTo(s2);
        assertThat(await(store.ack(durable, subject, s3))).isTrue();
        assertThat(await(store.consumerPosition(durable, subject))).isEqualTo(s3);
        // another durable on the same subject has its own position
        assertThat(await(store.consumerPosition(durable(), subject))).isZero();
    }

    @Test
    void ackOfASequenceFromAnotherSubjectFailsNamingIt() {
        String subject = subject();
        String other = subject();
        publishText(subject, "first");
        long foreign = publishText(other, "elsewhere");
        publishText(subject, "second");

        assertThatThrownBy(() -> await(store.ack(durable(), subject, foreign)))
                .isInstanceOf(StoreInvalidArgumentException.class)
                .hasMessageContaining("grpc_ack")
                .hasMessageContaining(String.valueOf(foreign));
        long unissued = await(store.lastSequence(subject)) + 1_000_000;
        assertThatThrownBy(() -> await(store.ack(durable(), subject, unissued)))
                .isInstanceOf(StoreInvalidArgumentException.class)
                .hasMessageContaining(String.valueOf(unissued));
    }

    @Test
    void peekDoesNotMoveThePosition() {
        String subject = subject();
        String durable = durable();
        long s1 = publishText(subject, "1");
        long s2 = publishText(subject, "2");
        long s3 = publishText(subject, "3");
        await(store.ack(durable, subject, s1));

        assertThat(await(store.peek(durable, subject, 10))).extracting(StoredMessage::sequence)
                .containsExactly(s2, s3);
        assertThat(await(store.peek(durable, subject, 1))).extracting(StoredMessage::sequence)
                .containsExactly(s2);
        assertThat(await(store.peek(durable, subject, 10))).extracting(StoredMessage::sequence)
                .containsExactly(s2, s3);
        assertThat(await(store.peek(durable, subject, 10)).get(0).inlinePayload()).isEqualTo(bytes("2"));
        assertThat(await(store.consumerPosition(durable, subject))).isEqualTo(s1);
    }

    @Test
    void checkNewMessagesReportsWhatIsAfterThePosition() {
        String subject = subject();
        String durable = durable();
        assertThat(await(store.checkNewMessages(subject, durable)))
                .isEqualTo(new NewMessagesStatus(false, 0, 0, 0));
        long s1 = publishText(subject, "1");
        publishText(subject, "2");
        long s3 = publishText(subject, "3");

        assertThat(await(store.checkNewMessages(subject, durable)))
                .isEqualTo(new NewMessagesStatus(true, s3, 0, 3));
        await(store.ack(durable, subject, s1));
        assertThat(await(store.checkNewMessages(subject, durable)))
                .isEqualTo(new NewMessagesStatus(true, s3, s1, 2));
        await(store.ack(durable, subject, s3));
        assertThat(await(store.checkNewMessages(subject, durable)))
                .isEqualTo(new NewMessagesStatus(false, s3, s3, 0));
    }

    // ---------------------------------------------------------------------------------------------
    // TTL

    @Test
    void deleteExpiredRemovesOnlyOldMessagesAndReportsTheirObjects() throws Exception {
        String subject = subject();
        long inline = publishText(subject, "inline");
        String objectName = subject + "/" + UUID.randomUUID();
        long stored = await(store.publish(new NewMessage(subject, Map.of(), objectName, null, 10, null)));

        assertThat(await(store.deleteExpired(3600, subject, 100))).isEmpty();
        assertThat(await(store.fetchAfter(subject, 0, 10))).hasSize(2);

        Thread.sleep(1_100);
        List<ExpiredMessage> expired = await(store.deleteExpired(0, subject, 1));
        assertThat(expired).containsExactly(new ExpiredMessage(inline, subject, null));
        expired = await(store.deleteExpired(0, subject, 100));
        assertThat(expired).containsExactly(new ExpiredMessage(stored, subject, objectName));
        assertThat(await(store.fetchAfter(subject, 0, 10))).isEmpty();

        // sequences are never reused, even when the newest rows were removed
        assertThat(publishText(subject, "later")).isGreaterThan(stored);
        // with no subject, a large TTL removes nothing of ours
        assertThat(await(store.deleteExpired(86_400, null, 100)))
                .extracting(ExpiredMessage::subject).doesNotContain(subject);
    }

    // ---------------------------------------------------------------------------------------------
    // other

    @Test
    void theServerIsAtTheSchemaVersionTheComponentRequires() {
        SchemaVersion version = await(store.schemaVersion());
        assertThat(version.current()).as("this release's Lua migrates to the version the component requires")
                .isEqualTo(version.required());
        assertThat(version.isSufficient()).isTrue();
    }

    @Test
    void aUserSuppliedClientWithTheDefaultMapperWorksAndIsNotClosedWithTheStore(TarantoolServer tarantool)
            throws Exception {
        // built by the user with the driver's defaults: the store still decodes binary payloads
        var client = TarantoolClientFactory.createClient()
                .withAddress(tarantool.address())
                .withCredentials(tarantool.username(), tarantool.password())
                .build();
        try {
            TarantoolStreamStore borrowed = new TarantoolStreamStore(client);
            String subject = subject();
            byte[] binary = {(byte) 0xFE, (byte) 0xFF, 0, 'z'};
            long sequence = await(borrowed.publish(inline(subject, binary, Map.of(), null)));
            borrowed.close();
            TarantoolStreamStore again = new TarantoolStreamStore(client);
            assertThat(await(again.lastSequence(subject))).isEqualTo(sequence);
            assertThat(await(again.fetchAfter(subject, 0, 10)).get(0).inlinePayload()).isEqualTo(binary);
        } finally {
            client.close();
        }
    }

    @Test
    void severalAddressesAreAllUsed(TarantoolServer tarantool) {
        try (TarantoolServer second = TarantoolServer.builder().password(tarantool.password()).build().start()) {
            TarantoolSettings both = TarantoolSettings.of(String.join(",", tarantool.address(), second.address()),
                    tarantool.username(), tarantool.password(), 5_000, 10_000);
            String subject = subject();
            try (TarantoolStreamStore spread = new TarantoolStreamStore(both);
                    TarantoolStreamStore onFirst = new TarantoolStreamStore(settings(tarantool));
                    TarantoolStreamStore onSecond = new TarantoolStreamStore(settings(second))) {
                for (int i = 0; i < 16; i++) {
                    await(spread.publish(inline(subject, bytes("m" + i), Map.of(), null)));
                }
                int first = await(onFirst.fetchAfter(subject, 0, 100)).size();
                int other = await(onSecond.fetchAfter(subject, 0, 100)).size();
                assertThat(first + other).isEqualTo(16);
                assertThat(first).isPositive();
                assertThat(other).isPositive();
            }
        }
    }

    @Test
    void addressesResolvingToTheSameServerAreUsedOnce(TarantoolServer tarantool) {
        TarantoolSettings twice = TarantoolSettings.of(String.join(",", tarantool.address(), "localhost:" + tarantool.port()),
                tarantool.username(), tarantool.password(), 5_000, 10_000);
        try (TarantoolStreamStore store2 = new TarantoolStreamStore(twice)) {
            String subject = subject();
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                futures.add(store2.publish(inline(subject, bytes("m" + i), Map.of(), null)));
            }
            futures.forEach(TarantoolStreamStoreTest::await);
            assertThat(await(store2.fetchAfter(subject, 0, 100))).hasSize(16);
        }
    }

    @Test
    void anUnreachableServerFailsWithAStreamStoreException() {
        try (TarantoolStreamStore unreachable = new TarantoolStreamStore(
                TarantoolSettings.of(String.join(",", "127.0.0.1:1"), "nobody", "secret-password", 500, 1_000))) {
            assertThatThrownBy(() -> await(unreachable.lastSequence("x")))
                    .isInstanceOf(StreamStoreException.class)
                    .hasMessageContaining("get_latest_sequence_for_subject")
                    .hasMessageContaining("127.0.0.1:1")
                    .hasMessageNotContaining("secret-password");
        }
    }

    @Test
    void wrongCredentialsFail(TarantoolServer tarantool) {
        try (TarantoolStreamStore wrong = new TarantoolStreamStore(TarantoolSettings.of(
                tarantool.address(), tarantool.username(), "not-the-password", 2_000, 2_000))) {
            assertThatThrownBy(() -> await(wrong.lastSequence("x")))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("get_latest_sequence_for_subject");
        }
    }

    @Test
    void settingsDoNotPrintThePassword() {
        TarantoolSettings settings = new TarantoolSettings(TarantoolSettings.parseAddresses(" a:1 , b:2 ,"), "u",
                "hunter2", 1, 2);
        assertThat(settings.addresses()).extracting(Object::toString)
                .containsExactly("a:1", "b:2");
        assertThat(settings.toString()).doesNotContain("hunter2");
    }

    @Test
    void unknownFunctionFailsNamingIt() {
        assertThatThrownBy(() -> await(store.call("no_such_function_here", 1)))
                .isInstanceOf(StreamStoreException.class)
                .hasMessageContaining("no_such_function_here");
    }

    // ---------------------------------------------------------------------------------------------
    // the seed API through call(...)

    @Test
    void seedPublishMessageAndGetMessageBySequence() {
        String subject = subject();
        String objectName = subject + "/" + UUID.randomUUID();
        long sequence = number(first(await(store.call("publish_message", subject, objectName, Map.of("h", "v")))));

        List<?> tuple = (List<?>) first(await(store.call("get_message_by_sequence", sequence)));
        assertThat(number(tuple.get(0))).isEqualTo(sequence);
        assertThat(tuple.get(1)).isEqualTo(Map.of("h", "v"));
        assertThat(tuple.get(2)).isEqualTo(objectName);
        assertThat(tuple.get(3)).isEqualTo(subject);
        assertThat(number(tuple.get(4))).isPositive();

        // an inline binary payload read back through the raw tuple keeps its bytes too
        byte[] binary = {(byte) 0xFF, 0, (byte) 0x80, 'a'};
        long inline = await(store.publish(inline(subject, binary, Map.of(), null)));
        List<?> raw = (List<?>) first(await(store.call("get_message_by_sequence", inline)));
        assertThat(LuaResults.toNullableBytes("get_message_by_sequence", "payload", raw.get(5))).isEqualTo(binary);

        List<?> missing = await(store.call("get_message_by_sequence", Long.MAX_VALUE - 1));
        assertThat(missing.isEmpty() || missing.get(0) == null).isTrue();
    }

    @Test
    void seedGetMessagesBySubjectIsInclusive() {
        String subject = subject();
        long s1 = publishText(subject, "1");
        long s2 = publishText(subject, "2");
        List<?> tuples = (List<?>) first(await(store.call("get_messages_by_subject", subject, s1, 10)));
        assertThat(tuples).hasSize(2);
        assertThat(number(((List<?>) tuples.get(0)).get(0))).isEqualTo(s1);
        assertThat(number(((List<?>) tuples.get(1)).get(0))).isEqualTo(s2);
        tuples = (List<?>) first(await(store.call("get_messages_by_subject", subject, s2, 10)));
        assertThat(tuples).hasSize(1);
    }

    @Test
    void seedGetLatestSequenceForSubject() {
        String subject = subject();
        long sequence = publishText(subject, "x");
        assertThat(number(first(await(store.call("get_latest_sequence_for_subject", subject))))).isEqualTo(sequence);
    }

    @Test
    void seedUpdateAndGetConsumerPosition() {
        String subject = subject();
        String durable = durable();
        long sequence = publishText(subject, "x");
        assertThat(first(await(store.call("update_consumer_position", durable, subject, sequence)))).isEqualTo(true);
        assertThat(number(first(await(store.call("get_consumer_position", durable, subject))))).isEqualTo(sequence);
        assertThat(await(store.consumerPosition(durable, subject))).isEqualTo(sequence);
    }

    @Test
    void seedGetConsumersBySubject() {
        String subject = subject();
        String durable = durable();
        long sequence = publishText(subject, "x");
        await(store.ack(durable, subject, sequence));
        List<?> consumers = (List<?>) first(await(store.call("get_consumers_by_subject", subject)));
        assertThat(consumers).hasSize(1);
        List<?> consumer = (List<?>) consumers.get(0);
        assertThat(consumer.get(0)).isEqualTo(durable);
        assertThat(consumer.get(1)).isEqualTo(subject);
        assertThat(number(consumer.get(2))).isEqualTo(sequence);
    }

    /** On a Tarantool of its own: the seed function takes no subject, and a TTL of 0 deletes every row. */
    @Test
    void seedDeleteOldMessagesReturnsCountAndRows() throws Exception {
        try (TarantoolServer own = TarantoolServer.builder().memtxMemory(64L * 1024 * 1024).build().start();
             TarantoolStreamStore ownStore = new TarantoolStreamStore(settings(own))) {
            String subject = subject();
            long sequence = publishText(ownStore, subject, "old");
            List<?> nothing = await(ownStore.call("delete_old_messages", 86_400));
            assertThat(nothing).hasSize(2);
            assertThat(number(nothing.get(0))).isZero();

            Thread.sleep(1_100);
            List<?> result = await(ownStore.call("delete_old_messages", 0));
            assertThat(result).hasSize(2);
            List<?> rows = result.get(1) instanceof List<?> list ? list : List.of();
            assertThat(number(result.get(0))).isEqualTo(1);
            assertThat(rows).singleElement().satisfies(row -> {
                Map<?, ?> map = (Map<?, ?>) row;
                assertThat(number(map.get("sequence"))).isEqualTo(sequence);
                assertThat(map.get("subject")).isEqualTo(subject);
            });
            assertThat(await(ownStore.fetchAfter(subject, 0, 10))).isEmpty();
        }
    }

    @Test
    void seedGrpcPublish() {
        String subject = subject();
        Map<?, ?> ok = (Map<?, ?>) first(await(store.call("grpc_publish", subject, subject + "/o", Map.of())));
        assertThat(number(ok.get("status_code"))).isZero();
        assertThat(number(ok.get("sequence"))).isEqualTo(await(store.lastSequence(subject)));

        Map<?, ?> bad = (Map<?, ?>) first(await(store.call("grpc_publish", "bad subject", "o", Map.of())));
        assertThat(number(bad.get("status_code"))).isNotZero();
        assertThat(String.valueOf(bad.get("error_message"))).contains("bad subject");
    }

    @Test
    void seedGrpcPublishMsgpackAndFetchMsgpackKeepBinaryData() {
        String subject = subject();
        String durable = durable();
        byte[] data = {(byte) 0xC1, (byte) 0xFF, 0, 1, 2};
        Map<?, ?> status = (Map<?, ?>) first(await(store.call("grpc_publish_msgpack", subject, data, Map.of("a", "b"))));
        assertThat(number(status.get("status_code"))).isZero();
        long sequence = number(status.get("sequence"));

        List<?> fetched = (List<?>) first(await(store.call("grpc_fetch_msgpack", subject, durable, 10, false)));
        assertThat(fetched).hasSize(1);
        Map<?, ?> message = (Map<?, ?>) fetched.get(0);
        assertThat(number(message.get("sequence"))).isEqualTo(sequence);
        assertThat(LuaResults.toNullableBytes("grpc_fetch_msgpack", "data_msgpack", message.get("data_msgpack")))
                .isEqualTo(data);
        assertThat(message.get("headers")).isEqualTo(Map.of("a", "b"));
        // the typed API sees the same record
        assertThat(await(store.fetchAfter(subject, 0, 10)).get(0).inlinePayload()).isEqualTo(data);
    }

    @Test
    void seedGrpcGetLastSequence() {
        String subject = subject();
        long sequence = publishText(subject, "x");
        Map<?, ?> result = (Map<?, ?>) first(await(store.call("grpc_get_last_sequence", subject)));
        assertThat(number(result.get("last_sequence"))).isEqualTo(sequence);
    }

    @Test
    void seedGrpcFetchWithAutoAckMovesThePosition() {
        String subject = subject();
        String durable = durable();
        long s1 = publishText(subject, "1");
        long s2 = publishText(subject, "2");
        List<?> tuples = (List<?>) first(await(store.call("grpc_fetch", subject, durable, 10, false)));
        assertThat(tuples).hasSize(2);
        assertThat(await(store.consumerPosition(durable, subject))).isZero();
        tuples = (List<?>) first(await(store.call("grpc_fetch", subject, durable, 1, true)));
        assertThat(tuples).hasSize(1);
        assertThat(number(((List<?>) tuples.get(0)).get(0))).isEqualTo(s1);
        assertThat(await(store.consumerPosition(durable, subject))).isEqualTo(s1);
        tuples = (List<?>) first(await(store.call("grpc_fetch", subject, durable, 10, true)));
        assertThat(number(((List<?>) tuples.get(0)).get(0))).isEqualTo(s2);
        assertThat(await(store.consumerPosition(durable, subject))).isEqualTo(s2);
    }

    @Test
    void seedGrpcPeek() {
        String subject = subject();
        String durable = durable();
        long s1 = publishText(subject, "1");
        List<?> tuples = (List<?>) first(await(store.call("grpc_peek", subject, durable, 10)));
        assertThat(tuples).hasSize(1);
        assertThat(number(((List<?>) tuples.get(0)).get(0))).isEqualTo(s1);
        assertThat(await(store.consumerPosition(durable, subject))).isZero();
    }

    @Test
    void seedGrpcAckAndCheckNewMessages() {
        String subject = subject();
        String durable = durable();
        long sequence = publishText(subject, "1");
        Map<?, ?> status = (Map<?, ?>) first(await(store.call("check_new_messages", subject, durable)));
        assertThat(status.get("has_new")).isEqualTo(true);
        assertThat(first(await(store.call("grpc_ack", durable, subject, sequence)))).isEqualTo(true);
        assertThat(first(await(store.call("grpc_ack", durable, subject, sequence)))).isEqualTo(false);
    }

    @Test
    void seedGetNewMessagesCount() {
        String subject = subject();
        String durable = durable();
        long s1 = publishText(subject, "1");
        publishText(subject, "2");
        publishText(subject, "3");
        assertThat(number(first(await(store.call("get_new_messages_count", subject, durable, null))))).isEqualTo(3);
        await(store.ack(durable, subject, s1));
        assertThat(number(first(await(store.call("get_new_messages_count", subject, durable, null))))).isEqualTo(2);
        assertThat(number(first(await(store.call("get_new_messages_count", subject, null, s1))))).isEqualTo(2);
        assertThat(number(first(await(store.call("get_new_messages_count", subject))))).isEqualTo(3);
    }

    // ---------------------------------------------------------------------------------------------

    private static long publishText(String subject, String text) {
        return publishText(store, subject, text);
    }

    private static long publishText(TarantoolStreamStore target, String subject, String text) {
        return await(target.publish(inline(subject, bytes(text), Map.of(), "text/plain")));
    }

    private static NewMessage inline(String subject, byte[] payload, Map<String, String> headers, String type) {
        return new NewMessage(subject, headers, null, payload, payload.length, type);
    }

    private static String subject() {
        return "test.store." + UUID.randomUUID();
    }

    private static String durable() {
        return "durable-" + UUID.randomUUID();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Object first(List<?> results) {
        assertThat(results).isNotEmpty();
        return results.get(0);
    }

    private static long number(Object value) {
        assertThat(value).isInstanceOf(Number.class);
        return ((Number) value).longValue();
    }

    /** Waits for the future; a failure is rethrown as its cause. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no result within 30 s", e);
        }
    }
}
