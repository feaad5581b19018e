package io.minitoolstream.camel;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StoredMessage;
import io.minitoolstream.camel.store.StreamStore;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered consumer: delivers a subject's messages in sequence order, at least once. Each poll fetches a
 * batch after the position and delivers it one exchange at a time; the position moves (and, for a durable, is
 * stored in Tarantool) only when an exchange completed successfully. The first failure ends the batch, so the
 * failed message is the next one delivered and nothing after it is delivered before it.
 * <p>
 * For a durable, only one consumer at a time is active: each poll renews an ownership lease of ackWait, and
 * other consumers of the same durable stand by until it lapses.
 */
public class MiniToolStreamConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(MiniToolStreamConsumer.class);
    private static final long LAG_COUNT_INTERVAL_MILLIS = 5000;

    private final MiniToolStreamEndpoint endpoint;
    private final MiniToolStreamConfiguration config;
    private final String consumerId = ConsumerIds.next();
    private final Map<Long, Integer> deliveryCounts = new ConcurrentHashMap<>();
    private StreamStore streams;
    private StreamMetrics metrics;
    private RecordDelivery delivery;
    private long lastLagCount;
    private volatile boolean owner;
    private long ownershipRenewedAt;
    /** The last sequence completed; null until read or derived. */
    private volatile Long position;
    /** With batchAck: the last sequence completed but not stored yet (acks are cumulative); 0 when none. */
    private long unstoredAck;

    public MiniToolStreamConsumer(MiniToolStreamEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        streams = endpoint.streamStore();
        PayloadStore payloads = endpoint.payloadStore();
        metrics = StreamMetrics.of(config.getMeterRegistry());
        delivery = RecordDelivery.forConsumer(this, endpoint, streams, payloads, metrics);
        if (config.getDurable() == null) {
            try {
                // Fixes "new" to the moment the consumer starts; when Tarantool is down, the first poll retries.
                position = initialPosition();
            } catch (Exception e) {
                LOG.warn("Could not read the start position of subject {} yet ({}); the first poll retries",
                        config.getSubject(), e.getMessage());
            }
        }
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        storeAck();
        if (owner && streams != null) {
            owner = false;
            try {
                // Hand over at once instead of making the next consumer wait for the lease to lapse.
                streams.releaseOrdered(config.getSubject(), config.getDurable(), consumerId)
                        .get(config.getRequestTimeout(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.debug("Could not release ordered ownership of {}: {}", config.getSubject(), e.getMessage());
            }
        }
    }

    /** The position this consumer delivers after; null before it has one. */
    public Long getPosition() {
        return position;
    }

    @Override
    protected int poll() throws Exception {
        if (config.getDurable() != null && !holdOwnership()) {
            return 0;
        }
        if (position == null) {
            position = initialPosition();
        }
        List<StoredMessage> batch = await(streams.fetchAfter(config.getSubject(), position, getMaxMessagesPerPoll()));
        int completed;
        try {
            completed = processBatch(new ArrayDeque<>(batch));
        } finally {
            storeAck();
        }
        if (config.getMeterRegistry() != null) {
            updateLag(batch.size(), completed);
        }
        return completed;
    }

    /**
     * Takes or renews the durable's ownership. A consumer that just became the owner reads the stored position,
     * because the previous owner may have moved it.
     */
    private boolean holdOwnership() throws Exception {
        boolean wasOwner = owner;
        owner = await(streams.acquireOrdered(config.getSubject(), config.getDurable(), consumerId,
                config.getAckWait() / 1000.0));
        ownershipRenewedAt = System.currentTimeMillis();
        if (owner && !wasOwner) {
            position = null;
            deliveryCounts.clear();
            LOG.info("Consumer {} is now the active consumer of durable {} on subject {}", consumerId,
                    config.getDurable(), config.getSubject());
        }
        return owner;
    }

    /** Renews ownership inside a long batch; false when another consumer took over. */
    private boolean ownershipStillHeld() throws Exception {
        if (config.getDurable() == null
                || System.currentTimeMillis() - ownershipRenewedAt < config.getAckWait() / 3) {
            return true;
        }
        return holdOwnership();
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
        while (!records.isEmpty() && isBatchAllowed() && ownershipStillHeld()) {
            pendingExchanges = records.size();
            StoredMessage record = (StoredMessage) records.poll();
            int deliveryCount = deliveryCounts.merge(record.sequence(), 1, Integer::sum);
            if (!delivery.deliver(record, deliveryCount, completed, total, cumulativeCommit)) {
                break;
            }
            completed++;
        }
        pendingExchanges = 0;
        return completed;
    }

    private final RecordDelivery.Outcome cumulativeCommit = new RecordDelivery.Outcome() {
        @Override
        public boolean commit(StoredMessage record, int deliveryCount) {
            return commit(record.sequence());
        }

        @Override
        public void failed(StoredMessage record, Throwable cause) {
            // The position stays; the next poll delivers the record again.
        }

        /** Moves the position past {@code sequence}; for a durable, stores it first. */
        private boolean commit(long sequence) {
            if (config.getDurable() != null && config.isBatchAck()) {
                // stored once per batch by storeAck(): one call acknowledges every message completed before it
                unstoredAck = sequence;
            } else if (config.getDurable() != null) {
                try {
                    await(streams.ack(config.getDurable(), config.getSubject(), sequence));
                } catch (Exception e) {
                    LOG.warn("Could not acknowledge message {} for durable {}; it will be delivered again: {}",
                            sequence, config.getDurable(), e.getMessage());
                    return false;
                }
            }
            position = sequence;
            deliveryCounts.remove(sequence);
            return true;
        }
    };

    /**
     * With batchAck, stores the durable's last completed sequence once per batch. Acks are cumulative, so one
     * call covers the whole batch; a crash before it redelivers at most that batch (at-least-once holds). A
     * failure is retried after the next batch.
     */
    private void storeAck() {
        long sequence = unstoredAck;
        if (sequence == 0 || config.getDurable() == null || streams == null) {
            return;
        }
        try {
            await(streams.ack(config.getDurable(), config.getSubject(), sequence));
            if (unstoredAck == sequence) {
                unstoredAck = 0;
            }
        } catch (Exception e) {
            LOG.warn("Could not store position {} of durable {}; retrying after the next batch: {}", sequence,
                    config.getDurable(), e.getMessage());
        }
    }

    private <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(config.getRequestTimeout() * 2L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
