package io.minitoolstream.camel.producer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import io.minitoolstream.camel.store.NewMessage;
import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StreamStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish protocol: a large payload is uploaded first under a fresh key, then one Tarantool call inserts the
 * record and assigns the sequence. A consumer therefore never sees a sequence whose payload is still uploading,
 * and a failed upload burns no sequence. When the insert fails after an upload, the object is deleted (best
 * effort; the cleaner's orphan sweep removes what is left).
 */
public final class Publisher {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final StreamStore streams;
    private final PayloadStore payloads;
    private final Executor uploads;

    public Publisher(StreamStore streams, PayloadStore payloads, Executor uploads) {
        this.streams = streams;
        this.payloads = payloads;
        this.uploads = uploads;
    }

    /** The stored record's sequence, object name (null when inline) and payload size. */
    public record Published(long sequence, String objectName, long size) {
    }

    public CompletableFuture<Published> publish(String subject, Map<String, String> headers, PayloadSource source,
                                         String contentType) {
        if (source instanceof PayloadSource.Inline inline) {
            NewMessage message = new NewMessage(subject, headers, null, inline.bytes(), inline.bytes().length,
                    contentType);
            return streams.publish(message).thenApply(sequence -> new Published(sequence, null, inline.bytes().length));
        }
        PayloadSource.Streamed streamed = (PayloadSource.Streamed) source;
        String objectName = subject + "/" + UUID.randomUUID();
        return CompletableFuture.supplyAsync(() -> upload(objectName, streamed, contentType), uploads)
                .thenCompose(size -> streams.publish(new NewMessage(subject, headers, objectName, null, size,
                        contentType)).thenApply(sequence -> new Published(sequence, objectName, size)))
                .exceptionallyCompose(failure -> CompletableFuture.supplyAsync(() -> {
                    // Only a failure needs blocking work (deleting the orphan); success goes on where the insert
                    // completed, one thread hop fewer per message.
                    deleteOrphan(objectName);
                    throw failure instanceof CompletionException ce ? ce : new CompletionException(failure);
                }, uploads));
    }

    private long upload(String objectName, PayloadSource.Streamed streamed, String contentType) {
        try (CountingInputStream counted = new CountingInputStream(streamed.stream())) {
            payloads.put(objectName, counted, streamed.size(),
                    contentType != null ? contentType : DEFAULT_CONTENT_TYPE);
            return counted.count();
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    private void deleteOrphan(String objectName) {
        try {
            payloads.delete(objectName);
        } catch (RuntimeException e) {
            LOG.warn("Could not delete object {} after a failed publish; the orphan sweep will remove it: {}",
                    objectName, e.getMessage());
        }
    }

    /** Counts bytes so a stream of unknown length still gets its size recorded. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }

        long count() {
            return count;
        }
    }
}
