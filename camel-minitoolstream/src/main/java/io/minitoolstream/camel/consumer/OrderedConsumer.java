package io.minitoolstream.camel.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import io.minitoolstream.camel.MiniToolStreamEndpoint;
import io.minitoolstream.camel.store.OrderedDelivery;
import io.minitoolstream.camel.store.StoreConflictException;
import io.minitoolstream.camel.store.StoredMessage;
import io.minitoolstream.camel.support.Futures;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered consumer: delivers a subject's messages in sequence order, at least once. Each poll fetches a
 * batch after the position and delivers it one exchange at a time; the position moves (and, for a durable, is
 * stored in Tarantool) only when an exchange completed successfully. The first failure ends the batch, so the
 * failed message is the next one delivered and nothing after it is delivered before it.
 * <p>
 * For a durable, only one consumer at a time is active: it holds the durable's lease ({@link DurableOwnership}),
 * renewed by the lease keeper also while a slow exchange runs, and other consumers of the same durable stand by
 * until it lapses. Its position writes are fenced: once another consumer took the durable, they are refused.
 * Delivery counts, the last failure and the redelivery backoff of the message a batch starts with are kept in the
 * {@link DeliveryBook}; after maxDeliver deliveries the message is dead-lettered and the subject moves on.
 */
public class OrderedConsumer extends StreamConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(OrderedConsumer.class);
    private static final long LAG_COUNT_INTERVAL_MILLIS = 5000;

    private long lastLagCount;
    /** The durable's lease; null without a durable. */
    private DurableOwnership ownership;
    /** The ownership generation the position and the position writer belong to. */
    private long ownedGeneration = -1;
    private DeliveryBook book;
    private PoisonMessages poison;
    /** The recording of the last failure, waited for before the next poll so that poll sees its backoff. */
    private volatile CompletableFuture<?> failureRecorded;
    /** The last sequence completed; null until read or derived. */
    private volatile Long position;
    /** Stores a durable's position off the delivery path; null without a durable. */
    private PositionWriter positionWriter;
    /** Notices a resetPosition of the durable; null without a durable. */
    private PositionResets resets;
    private BatchReadAhead readAhead;
    /** Opens object-storage payloads ahead of delivery; null when payloadPrefetch is 0. */
    private ExecutorService prefetchThreads;
    /** With batchAck: the last sequence completed in this batch, stored at its end; 0 when none. */
    private volatile long batchAckSequence;

    public OrderedConsumer(MiniToolStreamEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    protected void prepare() {
        readAhead = new BatchReadAhead(streams, config.getSubject(), getMaxMessagesPerPoll());
        poison = new PoisonMessages(config.getMaxDeliver(), delivery.deadLetters(), metrics, config.getDurable());
        if (config.getDurable() != null) {
            resets = new PositionResets(streams, config.getSubject(), config.getDurable(),
                    config.getRequestTimeout() * 2L);
            ownership = new DurableOwnership(streams, config.getSubject(), config.getDurable(), consumerId,
                    config.getAckWait(), config.getRequestTimeout() * 2L);
            book = DeliveryBook.stored(streams, config.getSubject(), config.getDurable(), consumerId,
                    ackWaitSeconds(), backoff, config.getRequestTimeout() * 2L);
        } else {
            book = DeliveryBook.inMemory(backoff);
        }
        if (config.getPayloadPrefetch() > 0) {
            prefetchThreads = newThreadPool("Prefetch", config.getPayloadPrefetch());
        }
        if (config.getDurable() == null) {
            try {
                // Fixes "new" to the moment the consumer starts; when Tarantool is down, the first poll retries.
                position = initialPosition();
            } catch (Exception e) {
                LOG.warn("Could not read the start position of subject {} yet ({}); the first poll retries",
                        config.getSubject(), e.getMessage());
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (readAhead != null) {
            readAhead.discard();
        }
        storeAck(true);
        if (prefetchThreads != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownNow(prefetchThreads);
            prefetchThreads = null;
        }
        if (ownership != null) {
            ownership.release();
        }
    }

    /** The position this consumer delivers after; null before it has one. */
    public Long getPosition() {
        return position;
    }

    @Override
    protected void renewLeases() throws Exception {
        if (ownership != null) {
            ownership.renew();
        }
    }

    @Override
    protected int pollOnce() throws Exception {
        awaitFailureRecorded();
        if (ownership != null && !holdDurable()) {
            return 0;
        }
        if (position == null) {
            if (resets != null) {
                resets.learn(); // before reading the position, so a reset from now on is noticed
            }
            position = initialPosition();
        } else if (resets != null) {
            Long reset = resets.adopt(positionWriter);
            if (reset != null) {
                position = reset;
                readAhead.discard();
            }
        }
        return deliverFetched(await(readAhead.fetchAfter(position)));
    }

    /**
     * Delivers a batch read after the position, when the books say this consumer may: it still owns the durable and
     * the first message is not waiting out its redelivery backoff (nothing after it may go first). The next batch
     * is read meanwhile; the position is stored at the end.
     */
    private int deliverFetched(List<StoredMessage> batch) throws Exception {
        OrderedDelivery start = batch.isEmpty() ? null : book.start(batch.get(0));
        if (start != null && !start.owner()) {
            ownership.lose("another consumer holds it");
            return 0;
        }
        if (start != null && !start.ready()) {
            return 0;
        }
        readAhead.readAheadOf(batch);
        int completed = 0;
        try {
            completed = deliverInOrder(batch, start);
        } finally {
            storeAck(completed < batch.size());
        }
        if (config.getMeterRegistry() != null) {
            updateLag(batch.size(), completed);
        }
        return completed;
    }

    /**
     * True while this consumer owns the durable. After (re)gaining it, whatever was read ahead or remembered of the
     * position is stale: read the stored position again and write it with a fresh writer.
     */
    private boolean holdDurable() throws Exception {
        if (!ownership.hold()) {
            return false;
        }
        if (ownership.generation() != ownedGeneration) {
            ownedGeneration = ownership.generation();
            readAhead.discard();
            position = null;
            positionWriter = new PositionWriter(this::storePosition,
                    "durable " + config.getDurable() + " on subject " + config.getSubject());
        }
        return true;
    }

    /** Fenced in Tarantool: refused once another consumer owns the durable, which ends this one's ownership. */
    private CompletableFuture<?> storePosition(long sequence) {
        return streams.ackOrdered(config.getSubject(), config.getDurable(), consumerId, sequence)
                .whenComplete((moved, error) -> {
                    if (Futures.unwrap(error) instanceof StoreConflictException conflict) {
                        acksRefused(1, conflict.reason());
                        ownership.lose("its acknowledgement was refused");
                    }
                });
    }

    private void awaitFailureRecorded() {
        CompletableFuture<?> recorded = failureRecorded;
        if (recorded == null) {
            return;
        }
        failureRecorded = null;
        try {
            await(recorded);
        } catch (Exception e) {
            LOG.warn("Could not record a failed delivery on subject {}: {}", config.getSubject(), e.getMessage());
        }
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
        streams.newMessagesCount(config.getSubject(), position)
                .thenAccept(count -> metrics.lag(config.getSubject(), config.getDurable(), count));
    }

    /** The stored position of the durable (0 included), or where deliverPolicy says when there is none. */
    private long initialPosition() throws Exception {
        if (config.getDurable() != null) {
            OptionalLong stored = await(streams.storedPosition(config.getDurable(), config.getSubject()));
            if (stored.isPresent()) {
                return stored.getAsLong();
            }
        }
        return switch (config.getDeliverPolicy()) {
            case ALL -> 0L;
            case NEW -> await(streams.lastSequence(config.getSubject()));
            case BY_SEQUENCE -> config.getStartSequence() - 1;
            case BY_START_TIME -> await(streams.positionAtTime(config.getSubject(), config.startTimeMillis()));
        };
    }

    /** Camel's batch-consumer entry; polls use the same path, so the books are asked here too. */
    @Override
    public int processBatch(Queue<Object> records) throws Exception {
        List<StoredMessage> batch = new ArrayList<>(records.size());
        records.forEach(record -> batch.add((StoredMessage) record));
        return deliverFetched(batch);
    }

    /**
     * Delivers the batch in order until the first message that is not completed; returns how many were. Only the
     * first message can have been delivered before (a failure ends a batch, so the failed message starts the next
     * one): it carries the count {@code start} has from the books, the others are delivered the first time.
     */
    private int deliverInOrder(List<StoredMessage> batch, OrderedDelivery start) throws Exception {
        int total = batch.size();
        int completed = 0;
        try (PayloadPrefetch prefetch = prefetchThreads == null || !hasObjectPayloads(batch) ? null
                : delivery.prefetch(batch, prefetchThreads, config.getPayloadPrefetch())) {
            for (StoredMessage record : batch) {
                if (!isBatchAllowed() || ownership != null && !ownership.isOwner()) {
                    break;
                }
                pendingExchanges = total - completed;
                int deliveryCount = completed == 0 ? start.deliveryCount() : 1;
                if (completed == 0 && poison.isExhausted(deliveryCount)) {
                    poison.setAside(record, start.lastFailure());
                    cumulativeCommit.commit(record, deliveryCount);
                    completed++;
                    continue;
                }
                boolean done = prefetch == null
                        ? delivery.deliver(record, deliveryCount, completed, total, cumulativeCommit)
                        : delivery.deliver(record, deliveryCount, completed, total, cumulativeCommit, prefetch);
                if (!done) {
                    break;
                }
                completed++;
            }
        } finally {
            pendingExchanges = 0;
        }
        return completed;
    }

    private static boolean hasObjectPayloads(List<StoredMessage> batch) {
        for (StoredMessage record : batch) {
            if (!record.isInline()) {
                return true;
            }
        }
        return false;
    }

    private final RecordDelivery.Outcome cumulativeCommit = new RecordDelivery.Outcome() {
        @Override
        public boolean commit(StoredMessage record, int deliveryCount) {
            return commit(record.sequence());
        }

        /** The position stays; the next poll delivers the record again, after its backoff. */
        @Override
        public void failed(StoredMessage record, int deliveryCount, Throwable cause) {
            failureRecorded = book.failed(record, deliveryCount, reasonOf(cause));
        }

        /**
         * Moves the position past {@code sequence}. A durable's position is stored by the position writer without
         * holding up the next delivery; with batchAck only once, at the end of the batch.
         */
        private boolean commit(long sequence) {
            position = sequence;
            if (positionWriter != null && config.isBatchAck()) {
                batchAckSequence = sequence;
            } else if (positionWriter != null) {
                positionWriter.advance(sequence);
            }
            return true;
        }
    };

    /**
     * Hands the durable's last completed sequence to the position writer. Acks are cumulative, so one call covers
     * everything completed before; a crash before it is stored redelivers what was completed since the last stored
     * position (at-least-once holds). Waits for it only when asked (a failed batch, stopping): a full batch goes on
     * to the next one while the store is in flight.
     */
    private void storeAck(boolean wait) {
        if (positionWriter == null) {
            return;
        }
        if (batchAckSequence > 0) {
            positionWriter.advance(batchAckSequence);
            batchAckSequence = 0;
        }
        if (!wait) {
            positionWriter.retry();
        } else if (!positionWriter.flush(config.getRequestTimeout() * 2L)) {
            LOG.warn("The position of durable {} on subject {} is stored up to {} of {}; the rest is stored after "
                     + "the next batch or delivered again after a restart", config.getDurable(), config.getSubject(),
                    positionWriter.stored(), position);
        }
    }
}
