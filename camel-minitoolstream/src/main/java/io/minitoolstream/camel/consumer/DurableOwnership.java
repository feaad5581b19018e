package io.minitoolstream.camel.consumer;

import java.util.concurrent.TimeUnit;

import io.minitoolstream.camel.store.StreamStore;
import io.minitoolstream.camel.support.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered consumer's lease on its durable: one consumer of a durable is active, the others stand by until its
 * lease (ackWait) lapses. The owner renews once a third of the lease has passed, not on every poll.
 */
final class DurableOwnership {

    private static final Logger LOG = LoggerFactory.getLogger(DurableOwnership.class);

    /** What a change of ownership means to the consumer. */
    interface Listener {
        /** Ownership was gained or lost: anything read ahead under the old state is stale. */
        void ownershipChanged(boolean nowOwner);
    }

    private final StreamStore streams;
    private final String subject;
    private final String durable;
    private final String consumerId;
    private final long ackWaitMillis;
    private final Listener listener;
    private final long awaitMillis;
    private volatile boolean owner;
    private long renewedAt;

    DurableOwnership(StreamStore streams, String subject, String durable, String consumerId, long ackWaitMillis,
                     long awaitMillis, Listener listener) {
        this.awaitMillis = awaitMillis;
        this.streams = streams;
        this.subject = subject;
        this.durable = durable;
        this.consumerId = consumerId;
        this.ackWaitMillis = ackWaitMillis;
        this.listener = listener;
    }

    /** True while this consumer holds the durable; takes it when free, renews it once a third of it has passed. */
    boolean hold() throws Exception {
        if (owner && System.currentTimeMillis() - renewedAt < ackWaitMillis / 3) {
            return true;
        }
        boolean wasOwner = owner;
        owner = Futures.await(streams.acquireOrdered(subject, durable, consumerId, ackWaitMillis / 1000.0),
                awaitMillis);
        renewedAt = System.currentTimeMillis();
        if (owner != wasOwner) {
            if (owner) {
                LOG.info("Consumer {} is now the active consumer of durable {} on subject {}", consumerId, durable,
                        subject);
            }
            listener.ownershipChanged(owner);
        }
        return owner;
    }

    /** Hands the durable over at once instead of making the next consumer wait for the lease to lapse. */
    void release() {
        if (!owner) {
            return;
        }
        owner = false;
        try {
            streams.releaseOrdered(subject, durable, consumerId).get(awaitMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("Could not release ordered ownership of {}: {}", subject, e.getMessage());
        }
    }
}
