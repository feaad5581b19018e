package io.minitoolstream.camel;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 12, scenario 5 and concurrent duplicates: CamelMiniToolStreamMessageId makes a publish idempotent. */
class IdempotentPublishTest extends ComponentTestSupport {

    private static final String ID = MiniToolStreamConstants.MESSAGE_ID;

    @Test
    void aRetryAfterATimeoutReturnsTheOriginalAndStoresAndUploadsNothing() throws Exception {
        String publishUri = uri("inlineThreshold=0&requestTimeout=400");
        template.requestBody(uri("operation=getLastSequence&inlineThreshold=0&requestTimeout=400"), null, Long.class);
        try {
            // Tarantool stalls during the upload: after the duplicate check, before the insert.
            ReadCountingBody body = new ReadCountingBody("order 1".getBytes(), () -> services.tarantool().suspend());
            Exchange first = template.request(publishUri, e -> {
                e.getIn().setBody(body);
                e.getIn().setHeader(ID, "order-1");
            });
            assertThat(first.getException()).as("the first attempt times out").isNotNull();
        } finally {
            services.tarantool().resume();
        }
        await("the first attempt's insert to commit", 10_000, () -> !peek().isEmpty());
        MiniToolStreamMessage original = peek().get(0);

        ReadCountingBody retryBody = new ReadCountingBody("order 1".getBytes(), () -> { });
        Exchange retry = publish(publishUri, retryBody, Map.of(ID, "order-1"));

        assertThat(retry.getIn().getHeader(MiniToolStreamConstants.SEQUENCE)).isEqualTo(original.getSequence());
        assertThat(retry.getIn().getHeader(MiniToolStreamConstants.OBJECT_NAME)).isEqualTo(original.getObjectName());
        assertThat(retry.getIn().getHeader(MiniToolStreamConstants.DUPLICATE)).isEqualTo(true);
        assertThat(peek()).as("records").hasSize(1);
        assertThat(ObjectCounting.objectsUnder(minio(), subject)).as("objects").isEqualTo(1);
        assertThat(retryBody.bytesRead()).as("bytes of the retry read (none: no upload)").isZero();
    }

    @ParameterizedTest(name = "inlineThreshold={0}")
    @ValueSource(ints = { 65536, 0 })
    void concurrentPublishesOfOneIdStoreOneRecord(int inlineThreshold) throws Exception {
        int threads = 16;
        String publishUri = uri("inlineThreshold=" + inlineThreshold);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Exchange>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return publish(publishUri, "the same message".getBytes(), Map.of(ID, "once"));
                }));
            }
            start.countDown();
            List<Object> sequences = new ArrayList<>();
            int originals = 0;
            for (Future<Exchange> result : results) {
                Exchange exchange = result.get();
                sequences.add(exchange.getIn().getHeader(MiniToolStreamConstants.SEQUENCE));
                if (Boolean.FALSE.equals(exchange.getIn().getHeader(MiniToolStreamConstants.DUPLICATE))) {
                    originals++;
                }
            }
            assertThat(sequences).as("every publish returns the one sequence").containsOnly(sequences.get(0));
            assertThat(originals).as("publishes that stored the message").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(peek()).as("records").hasSize(1);
        assertThat(ObjectCounting.objectsUnder(minio(), subject)).as("objects left")
                .isEqualTo(inlineThreshold == 0 ? 1 : 0);
    }

    @Test
    void withoutAnIdOrWithWindowZeroEveryPublishIsStored() {
        Exchange first = publish(uri(""), "a".getBytes(), Map.of(ID, "a"));
        assertThat(first.getIn().getHeader(MiniToolStreamConstants.DUPLICATE)).isEqualTo(false);
        publish(uri(""), "b".getBytes(), Map.of(ID, "b"));
        publish(uri(""), "c".getBytes(), Map.of());
        publish(uri(""), "c".getBytes(), Map.of());
        publish(uri("duplicateWindow=0"), "a".getBytes(), Map.of(ID, "a"));
        publish(uri("duplicateWindow=0"), "a".getBytes(), Map.of(ID, "a"));
        assertThat(peek()).hasSize(6);
    }

    @Test
    void anIdIsFreeAgainAfterItsWindow() throws Exception {
        long first = sequenceOf(publish(uri("duplicateWindow=200"), "a".getBytes(), Map.of(ID, "a")));
        assertThat(sequenceOf(publish(uri("duplicateWindow=200"), "a".getBytes(), Map.of(ID, "a")))).isEqualTo(first);
        Thread.sleep(300);
        assertThat(sequenceOf(publish(uri("duplicateWindow=200"), "a".getBytes(), Map.of(ID, "a"))))
                .isGreaterThan(first);
    }

    @Test
    void aBadIdFailsTheExchangeNamingIt() {
        for (String bad : new String[] { "", "é".repeat(128) }) {
            Exchange result = template.request(uri(""), e -> {
                e.getIn().setBody("x".getBytes());
                e.getIn().setHeader(ID, bad);
            });
            assertThat(result.getException()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(ID).hasMessageContaining("'" + bad.substring(0, Math.min(bad.length(), 80)))
                    .hasMessageContaining("1-255 bytes");
        }
        assertThat(peek()).isEmpty();
    }

    private static long sequenceOf(Exchange exchange) {
        return exchange.getIn().getHeader(MiniToolStreamConstants.SEQUENCE, Long.class);
    }

    @SuppressWarnings("unchecked")
    private List<MiniToolStreamMessage> peek() {
        return template.requestBody(uri("operation=peek&durable=check"), null, List.class);
    }

    /** A stream body that tells how far it was read (an upload reads it all) and runs a hook on its first read. */
    static final class ReadCountingBody extends ByteArrayInputStream {
        private Runnable onFirstRead;

        ReadCountingBody(byte[] bytes, Runnable onFirstRead) {
            super(bytes);
            this.onFirstRead = onFirstRead;
        }

        @Override
        public synchronized int read(byte[] buffer, int offset, int length) {
            firstRead();
            return super.read(buffer, offset, length);
        }

        @Override
        public synchronized int read() {
            firstRead();
            return super.read();
        }

        private void firstRead() {
            if (onFirstRead != null) {
                Runnable hook = onFirstRead;
                onFirstRead = null;
                hook.run();
            }
        }

        synchronized int bytesRead() {
            return pos;
        }
    }
}
