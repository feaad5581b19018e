package io.minitoolstream.camel.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import io.minitoolstream.camel.MiniToolStreamEndpoint;
import io.minitoolstream.camel.store.ClaimedMessage;
import io.minitoolstream.camel.store.StoredMessage;
import io.minitoolstream.camel.support.InFlightBatcher;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Competing consumers on one durable: each poll claims (leases) messages nobody else holds, delivers them, and
 * acknowledges each one when the route completed it. A failed message is released at once; one whose consumer
 * died is claimed again by anyone after ackWait. After maxDeliver deliveries a message goes to the dead-letter
 * subject (with its payload and the last failure), or is dropped when there is none. Order across consumers is
 * not kept; use the ordered mode for that.
 */
public class CompetingConsumer extends StreamConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(CompetingConsumer.class);
    /** Lua's ack_claimed_batch takes up to 1000. */
    private static final int MAX_ACKS_PER_CALL = 1000;

    /** The last failure of messages this consumer failed, for the dead-letter reason. */
    private final Map<Long, String> lastFailures = new ConcurrentHashMap<>();
    /** Completed messages' acks, grouped: one call in flight, what completes meanwhile goes in the next. */
    private InFlightBatcher<Long> acks;
    private DeadLetters deadLetters;
    private ExecutorService workers;

    public CompetingConsumer(MiniToolStreamEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    protected void prepare() {
        deadLetters = delivery.deadLetters();
        acks = new InFlightBatcher<>(this::sendAcks, 1, MAX_ACKS_PER_CALL);
        if (config.getConcurrentConsumers() > 1) {
            workers = newThreadPool("Competing", config.getConcurrentConsumers());
        }
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (workers != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(workers);
            workers = null;
        }
    }

    @Override
    protected int poll() throws Exception {
        List<ClaimedMessage> claimed = await(streams.claim(config.getSubject(), config.getDurable(), consumerId,
                getMaxMessagesPerPoll(), ackWaitSeconds()));
        try {
            return processBatch(new java.util.ArrayDeque<>(claimed));
        } finally {
            awaitAcks();
        }
    }

    @Override
    public int processBatch(Queue<Object> claims) throws Exception {
        int total = claims.size();
        if (workers == null) {
            int completed = 0;
            while (!claims.isEmpty()) {
                ClaimedMessage claim = (ClaimedMessage) claims.poll();
                if (!isBatchAllowed()) {
                    release(claim);
                    continue;
                }
                if (handle(claim, completed, total)) {
                    completed++;
                }
            }
            return completed;
        }
        List<Future<Boolean>> running = new ArrayList<>(total);
        int index = 0;
        for (Object claim : claims) {
            int position = index++;
            running.add(workers.submit(() -> isBatchAllowed()
                    ? handle((ClaimedMessage) claim, position, total) : release((ClaimedMessage) claim)));
        }
        int completed = 0;
        for (Future<Boolean> result : running) {
            if (Boolean.TRUE.equals(result.get())) {
                completed++;
            }
        }
        return completed;
    }

    /** Delivers one claimed message, or dead-letters it when it has been delivered maxDeliver times already. */
    private boolean handle(ClaimedMessage claim, int index, int total) throws Exception {
        StoredMessage record = claim.message();
        int maxDeliver = config.getMaxDeliver();
        if (maxDeliver > 0 && claim.deliveryCount() > maxDeliver) {
            String reason = "not completed after " + maxDeliver + " deliveries; last failure: "
                            + lastFailures.getOrDefault(record.sequence(), "unknown (another consumer)");
            if (deadLetters != null) {
                deadLetters.publish(record, reason, true);
                LOG.warn("Message {} of subject {} sent to dead-letter subject {}: {}", record.sequence(),
                        record.subject(), deadLetters.subject(), reason);
            } else {
                LOG.warn("Message {} of subject {} dropped (no deadLetterSubject): {}", record.sequence(),
                        record.subject(), reason);
            }
            return ackClaimed(record);
        }
        return delivery.deliver(record, claim.deliveryCount(), index, total, outcome);
    }

    private final RecordDelivery.Outcome outcome = new RecordDelivery.Outcome() {
        @Override
        public boolean commit(StoredMessage record, int deliveryCount) {
            return ackClaimed(record);
        }

        @Override
        public void failed(StoredMessage record, Throwable cause) {
            lastFailures.put(record.sequence(), cause == null ? "route failed" : cause.toString());
            release(new ClaimedMessage(record, 0));
        }
    };

    /**
     * Acknowledges a completed message without holding up the next delivery: acks go out in groups and the batch
     * end waits for them.
     */
    private boolean ackClaimed(StoredMessage record) {
        acks.add(record.sequence());
        return true;
    }

    /** One group of acks; a failure leaves the claims to lapse, so the messages come again after ackWait. */
    private CompletableFuture<?> sendAcks(List<Long> sequences) {
        return streams.ackClaimed(config.getSubject(), config.getDurable(), consumerId, sequences)
                .whenComplete((refused, error) -> {
                    if (error != null) {
                        LOG.warn("Could not acknowledge {} messages for durable {}; they will be delivered again after "
                                 + "ackWait: {}", sequences.size(), config.getDurable(), error.getMessage());
                        return;
                    }
                    for (Long sequence : sequences) {
                        String reason = refused.get(sequence);
                        if (reason == null) {
                            lastFailures.remove(sequence);
                        } else {
                            LOG.warn("Message {} of subject {} could not be acknowledged for durable {}: {}", sequence,
                                    config.getSubject(), config.getDurable(), reason);
                        }
                    }
                });
    }

    /** Waits for the acks of the batch, so a stop or the next claim sees them stored. */
    private void awaitAcks() {
        try {
            if (!acks.flush(config.getRequestTimeout() * 2L)) {
                LOG.warn("Acknowledgements for durable {} still in flight after {} ms", config.getDurable(),
                        config.getRequestTimeout() * 2L);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gives the claim back so another consumer need not wait for the lease to lapse; best effort. */
    private boolean release(ClaimedMessage claim) {
        streams.releaseClaimed(config.getSubject(), config.getDurable(), consumerId, claim.message().sequence())
                .exceptionally(e -> false);
        return false;
    }
}
