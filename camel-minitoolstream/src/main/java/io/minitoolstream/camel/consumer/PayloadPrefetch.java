package io.minitoolstream.camel.consumer;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

import io.minitoolstream.camel.store.PayloadNotFoundException;
import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StoredMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the object-storage payloads of a batch ahead of delivery, so the request latency of the next payloads
 * overlaps the route's work on the current one. Delivery order is unchanged: payloads are handed out in batch
 * order. At most {@code depth} streams are opened ahead; an opened stream holds a connection, not the payload
 * (bodies stay in the socket until the route reads them). Streams never handed out are closed by {@link #close}.
 */
final class PayloadPrefetch implements RecordDelivery.PayloadOpener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PayloadPrefetch.class);

    private record Opening(long sequence, CompletableFuture<InputStream> stream) {
    }

    private final PayloadStore payloads;
    private final Executor executor;
    private final int depth;
    private final Iterator<StoredMessage> notYetOpened;
    private final Deque<Opening> opening = new ArrayDeque<>();

    PayloadPrefetch(PayloadStore payloads, Executor executor, int depth, List<StoredMessage> batch) {
        this.payloads = payloads;
        this.executor = executor;
        this.depth = depth;
        this.notYetOpened = batch.iterator();
        openAhead();
    }

    /**
     * The payload of {@code record}: the stream opened ahead for it, or opened now when it was not (the batch was
     * reordered or the record is not part of it). Starts opening the next ones either way.
     */
    @Override
    public InputStream open(StoredMessage record) throws PayloadNotFoundException {
        Opening next = opening.peekFirst();
        while (next != null && next.sequence() < record.sequence()) {
            // skipped by the consumer (it never happens in order; kept safe for reordering)
            closeWhenOpen(opening.pollFirst());
            next = opening.peekFirst();
        }
        if (next == null || next.sequence() != record.sequence()) {
            openAhead();
            return payloads.get(record.objectName());
        }
        opening.pollFirst();
        openAhead();
        try {
            return next.stream().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeWhenOpen(next);
            throw new IllegalStateException("Interrupted while opening the payload of message " + record.sequence(), e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /** Closes every stream opened ahead and not handed out. */
    @Override
    public void close() {
        Opening left;
        while ((left = opening.pollFirst()) != null) {
            closeWhenOpen(left);
        }
    }

    private void openAhead() {
        while (opening.size() < depth && notYetOpened.hasNext()) {
            StoredMessage record = notYetOpened.next();
            if (record.isInline()) {
                continue;
            }
            CompletableFuture<InputStream> stream;
            try {
                stream = CompletableFuture.supplyAsync(() -> openOrWrap(record.objectName()), executor);
            } catch (RuntimeException rejected) {
                // the executor is shutting down: the record's payload is opened when it is delivered
                return;
            }
            opening.addLast(new Opening(record.sequence(), stream));
        }
    }

    private InputStream openOrWrap(String objectName) {
        try {
            return payloads.get(objectName);
        } catch (PayloadNotFoundException e) {
            throw new CompletionException(e);
        }
    }

    private static RuntimeException unwrap(Throwable cause) throws PayloadNotFoundException {
        Throwable failure = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        if (failure instanceof PayloadNotFoundException notFound) {
            throw notFound;
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    private static void closeWhenOpen(Opening opened) {
        opened.stream().whenComplete((stream, error) -> {
            if (stream != null) {
                try {
                    stream.close();
                } catch (IOException e) {
                    LOG.debug("Closing an unused payload stream of message {} failed", opened.sequence(), e);
                }
            }
        });
    }
}
