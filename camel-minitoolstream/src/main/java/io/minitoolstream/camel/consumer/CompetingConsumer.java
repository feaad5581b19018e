package io.minitoolstream.camel.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

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
 * died is claimed again by anyone after ackWait (the lease keeper renews claims in process until then). After
 * maxDeliver deliveries a message goes to the dead-letter
 * subject (with its payload and the last failure), or is dropped when there is none. Order across consumers is
 * not kept; use the ordered mode for that.
 */
public class CompetingConsumer extends StreamConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(CompetingConsumer.class);
    /** Lua's ack_claimed_batch takes up to 1000. */
    private static final int MAX_ACKS_PER_CALL = 1000;

    /** Claimed messages not yet acknowledged or given back: what the lease keeper renews. */
    private final AtomicInteger inProcess = new AtomicInteger();
    /** Completed messages' acks, grouped: one call in flight, what completes meanwhile goes in the next. */
    private InFlightBatcher<Long> acks;
    private PoisonMessages poison;
    private ExecutorService workers;

    public CompetingConsumer(MiniToolStreamEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    protected void prepare() {
        poison = new PoisonMessages(config.getMaxDeliver(), delivery.deadLetters(), metrics, config.getDurable());
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
    protected int pollOnce() throws Exception {
        List<ClaimedMessage> claimed = await(streams.claim(config.getSubject(), config.getDurable(), consumerId,
                getMaxMessagesPerPoll(), ackWaitSeconds()));
        inProcess.addAndGet(claimed.size());
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
            if (Boolean.TRUE.equals(awaitWorker(result))) {
                completed++;
            }
        }
        return completed;
    }

    /**
     * Waits for one worker in slices of ackWait, saying so while it takes longer (its lease is renewed meanwhile),
     * and stops waiting when the consumer is stopping: the poller never waits unbounded for a stuck route.
     */
    private Boolean awaitWorker(Future<Boolean> result) throws Exception {
        while (true) {
            try {
                return result.get(config.getAckWait(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!isRunAllowed()) {
                    LOG.warn("Stopping consumer {} on subject {} without waiting for an exchange still in process;"
                             + " its claim lapses after ackWait", consumerId, config.getSubject());
                    return false;
                }
                LOG.warn("An exchange of consumer {} on subject {} is still in process after {} ms; its claim is kept",
                        consumerId, config.getSubject(), config.getAckWait());
            }
        }
    }

    @Override
    protected void renewLeases() throws Exception {
        if (inProcess.get() > 0) {
            await(streams.extendClaims(config.getSubject(), config.getDurable(), consumerId, ackWaitSeconds()));
        }
    }

    /** Delivers one claimed message, or dead-letters it when it has been delivered maxDeliver times already. */
    private boolean handle(ClaimedMessage claim, int index, int total) throws Exception {
        StoredMessage record = claim.message();
        if (poison.isExhausted(claim.deliveryCount())) {
            poison.setAside(record, claim.lastFailure());
            return ackClaimed(record);
        }
        return delivery.deliver(record, claim.deliveryCount(), index, total, outcome);
    }

    private final RecordDelivery.Outcome outcome = new RecordDelivery.Outcome() {
        @Override
        public boolean commit(StoredMessage record, int deliveryCount) {
            return ackClaimed(record);
        }

        /** Gives the claim back with the reason, to be claimed again after its backoff; best effort. */
        @Override
        public void failed(StoredMessage record, int deliveryCount, Throwable cause) {
            inProcess.decrementAndGet();
            streams.failDelivery(config.getSubject(), config.getDurable(), consumerId, record.sequence(),
                    reasonOf(cause), backoff.secondsAfterDelivery(deliveryCount)).exceptionally(e -> false);
        }
    };

    /**
     * Acknowledges a completed message without holding up the next delivery: acks go out in groups and the batch
     * end waits for them.
     */
    private boolean ackClaimed(StoredMessage record) {
        inProcess.decrementAndGet();
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
                    if (!refused.isEmpty()) {
                        acksRefused(refused.size(), refused.toString());
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
        inProcess.decrementAndGet();
        streams.releaseClaimed(config.getSubject(), config.getDurable(), consumerId, claim.message().sequence())
                .exceptionally(e -> false);
        return false;
    }
}
