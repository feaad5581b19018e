package io.minitoolstream.camel;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.minitoolstream.camel.store.PayloadNotFoundException;
import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StoredMessage;
import io.minitoolstream.camel.store.StreamStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a subject's messages in sequence order, at least once. Each poll fetches a batch after the position
 * and delivers it one exchange at a time; the position moves (and, for a durable, is stored in Tarantool) only
 * when an exchange completed successfully. The first failure ends the batch, so the failed message is the next
 * one delivered and nothing after it is delivered before it.
 */
public class MiniToolStreamConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(MiniToolStreamConsumer.class);
    private static final long LAG_COUNT_INTERVAL_MILLIS = 5000;

    private final MiniToolStreamEndpoint endpoint;
    private final MiniToolStreamConfiguration config;
    private final Map<Long, Integer> deliveryCounts = new ConcurrentHashMap<>();
    private StreamStore streams;
    private PayloadStore payloads;
    private MissingPayloadPolicy missingPayloadPolicy;
    private StreamMetrics metrics;
    private long lastLagCount;
    /** The last sequence completed; null until the first successful poll reads or derives it. */
    private volatile Long position;

    public MiniToolStreamConsumer(MiniToolStreamEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        streams = endpoint.streamStore();
        payloads = endpoint.payloadStore();
        missingPayloadPolicy = config.missingPayloadPolicy();
        metrics = StreamMetrics.of(config.getMeterRegistry());
        if (endpoint.getComponent().isHealthCheckConsumerEnabled() && !(getHealthCheck() instanceof StorageHealthCheck)) {
            setHealthCheck(new StorageHealthCheck("minitoolstream-consumer-" + getRouteId(), streams, payloads,
                    config.getRequestTimeout(), getHealthCheck()));
        }
        try {
            // Fixes "new" to the moment the consumer starts; when Tarantool is down, the first poll retries.
            position = initialPosition();
        } catch (Exception e) {
            LOG.warn("Could not read the start position of subject {} yet ({}); the first poll retries",
                    config.getSubject(), e.getMessage());
        }
        super.doStart();
    }

    /** The position this consumer delivers after; null before its first poll. */
    public Long getPosition() {
        return position;
    }

    @Override
    protected int poll() throws Exception {
        if (position == null) {
            position = initialPosition();
        }
        List<StoredMessage> batch = await(streams.fetchAfter(config.getSubject(), position, getMaxMessagesPerPoll()));
        int completed = processBatch(new ArrayDeque<>(batch));
        if (config.getMeterRegistry() != null) {
            updateLag(batch.size(), completed);
        }
        return completed;
    }

    /**
     * A poll that completed a batch smaller than its maximum has caught up: lag 0, no call needed. Otherwise the
     * messages after the position are counted on the server, at most every {@value #LAG_COUNT_INTERVAL_MILLIS}
     * ms, because counting takes time proportional to the backlog.
     */
    private void updateLag(int fetched, int completed) {
        if (fetched < getMaxMessagesPerPoll() && completed == fetched) {
            metrics.lag(config.getSubject(), config.getDurable(), 0);
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastLagCount < LAG_COUNT_INTERVAL_MILLIS) {
            return;
        }
        lastLagCount = now;
        streams.call("get_new_messages_count", config.getSubject(), null, position).thenAccept(answer -> {
            if (!answer.isEmpty() && answer.get(0) instanceof Number count) {
                metrics.lag(config.getSubject(), config.getDurable(), count.longValue());
            }
        });
    }

    /** The stored position of the durable, or where deliverPolicy says when there is none. */
    private long initialPosition() throws Exception {
        if (config.getDurable() != null) {
            long stored = await(streams.consumerPosition(config.getDurable(), config.getSubject()));
            if (stored > 0) {
                return stored;
            }
        }
        return switch (config.deliverPolicy()) {
            case ALL -> 0L;
            case NEW -> await(streams.lastSequence(config.getSubject()));
            case BY_SEQUENCE -> config.getStartSequence() - 1;
        };
    }

    @Override
    public int processBatch(Queue<Object> records) throws Exception {
        int total = records.size();
        int completed = 0;
        while (!records.isEmpty() && isBatchAllowed()) {
            pendingExchanges = records.size();
            StoredMessage record = (StoredMessage) records.poll();
            if (!deliver(record, completed, total)) {
                break;
            }
            completed++;
        }
        pendingExchanges = 0;
        return completed;
    }

    /** Delivers one record; true when it was completed (or handled by the missing-payload policy) and committed. */
    private boolean deliver(StoredMessage record, int index, int total) throws Exception {
        InputStream payload = null;
        if (!record.isInline()) {
            try {
                payload = payloads.get(record.objectName());
            } catch (PayloadNotFoundException e) {
                return handleMissingPayload(record, e);
            } catch (RuntimeException e) {
                getExceptionHandler().handleException("Could not open the payload of message " + record.sequence()
                                                      + "; it will be delivered again", e);
                return false;
            }
        }
        int deliveryCount = deliveryCounts.merge(record.sequence(), 1, Integer::sum);
        Exchange exchange = createExchange(false);
        try {
            populate(exchange, record, payload, deliveryCount, index, total);
            CompletableFuture<Boolean> committed = new CompletableFuture<>();
            exchange.getExchangeExtension().addOnCompletion(
                    new CommitOnCompletion(record, payload, deliveryCount, committed));
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Message " + record.sequence() + " of subject "
                                                      + record.subject() + " failed; it will be delivered again",
                        exchange, exchange.getException());
            }
            return committed.get(config.getRequestTimeout() * 2L, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Message {} did not complete in time; it stays unacknowledged", record.sequence());
            return false;
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private void populate(Exchange exchange, StoredMessage record, InputStream payload, int deliveryCount,
                          int index, int total) {
        StoredHeaders.toExchange(record.headers(), exchange, endpoint.headerFilterStrategy());
        var in = exchange.getIn();
        in.setHeader(MiniToolStreamConstants.SEQUENCE, record.sequence());
        in.setHeader(MiniToolStreamConstants.SUBJECT, record.subject());
        in.setHeader(MiniToolStreamConstants.OBJECT_NAME, record.objectName());
        long millis = TimeUnit.SECONDS.toMillis(record.createdAtSeconds());
        in.setHeader(MiniToolStreamConstants.TIMESTAMP, millis);
        in.setHeader(Exchange.MESSAGE_TIMESTAMP, millis);
        in.setHeader(MiniToolStreamConstants.DELIVERY_COUNT, deliveryCount);
        if (record.size() != null) {
            in.setHeader(MiniToolStreamConstants.SIZE, record.size());
        }
        if (record.contentType() != null) {
            in.setHeader(Exchange.CONTENT_TYPE, record.contentType());
        }
        in.setBody(record.isInline() ? record.inlinePayload() : payload);
        exchange.setProperty(Exchange.BATCH_INDEX, index);
        exchange.setProperty(Exchange.BATCH_SIZE, total);
        exchange.setProperty(Exchange.BATCH_COMPLETE, index == total - 1);
    }

    private boolean handleMissingPayload(StoredMessage record, PayloadNotFoundException e) throws Exception {
        switch (missingPayloadPolicy) {
            case FAIL -> {
                getExceptionHandler().handleException("Message " + record.sequence() + " of subject "
                                                      + record.subject() + " has lost its payload", e);
                return false;
            }
            case DEAD_LETTER -> {
                Map<String, String> headers = new java.util.LinkedHashMap<>(record.headers());
                headers.put(MiniToolStreamConstants.DEAD_LETTER_REASON, e.getMessage());
                headers.put(MiniToolStreamConstants.DEAD_LETTER_SUBJECT, record.subject());
                headers.put(MiniToolStreamConstants.DEAD_LETTER_SEQUENCE, String.valueOf(record.sequence()));
                await(streams.publish(new io.minitoolstream.camel.store.NewMessage(config.getDeadLetterSubject(),
                        headers, null, new byte[0], 0, null)));
                LOG.warn("Message {} of subject {}: payload {} is missing; sent to dead-letter subject {}",
                        record.sequence(), record.subject(), record.objectName(), config.getDeadLetterSubject());
            }
            case SKIP -> LOG.warn("Message {} of subject {}: payload {} is missing; skipped", record.sequence(),
                    record.subject(), record.objectName());
        }
        return commit(record.sequence());
    }

    /** Moves the position past {@code sequence}; for a durable, stores it first. */
    private boolean commit(long sequence) {
        if (config.getDurable() != null) {
            try {
                await(streams.ack(config.getDurable(), config.getSubject(), sequence));
            } catch (Exception e) {
                LOG.warn("Could not acknowledge message {} for durable {}; it will be delivered again: {}", sequence,
                        config.getDurable(), e.getMessage());
                return false;
            }
        }
        position = sequence;
        deliveryCounts.remove(sequence);
        return true;
    }

    private <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(config.getRequestTimeout() * 2L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Commits when the route completed the exchange; a failed exchange leaves the position where it was. */
    private final class CommitOnCompletion extends SynchronizationAdapter {
        private final StoredMessage record;
        private final InputStream payload;
        private final int deliveryCount;
        private final CompletableFuture<Boolean> committed;

        CommitOnCompletion(StoredMessage record, InputStream payload, int deliveryCount,
                           CompletableFuture<Boolean> committed) {
            this.record = record;
            this.payload = payload;
            this.deliveryCount = deliveryCount;
            this.committed = committed;
        }

        @Override
        public void onComplete(Exchange exchange) {
            closePayload();
            boolean done = commit(record.sequence());
            if (done) {
                metrics.consumed(record.subject(), config.getDurable(), record.size(), deliveryCount > 1);
            }
            committed.complete(done);
        }

        @Override
        public void onFailure(Exchange exchange) {
            closePayload();
            metrics.consumeFailed(record.subject(), config.getDurable());
            committed.complete(false);
        }

        private void closePayload() {
            if (payload != null) {
                try {
                    payload.close();
                } catch (IOException e) {
                    LOG.debug("Closing the payload stream of message {} failed", record.sequence(), e);
                }
            }
        }
    }
}
