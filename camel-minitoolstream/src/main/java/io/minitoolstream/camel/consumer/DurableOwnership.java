package io.minitoolstream.camel.consumer;

import java.util.concurrent.TimeUnit;

import io.minitoolstream.camel.store.StreamStore;
import io.minitoolstream.camel.support.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered consumer's lease on its durable: one consumer of a durable is active, the others stand by until its
 * lease (ackWait) lapses. The polling thread takes the lease; the lease keeper renews it about every ackWait/3 for
 * as long as the consumer runs, also while a slow exchange is in process. A renewal that finds another owner, or a
 * fenced acknowledgement, loses it. Each time the lease is (re)gained the generation changes, so the consumer
 * knows to re-read its position.
 */
final class DurableOwnership {

    private static final Logger LOG = LoggerFactory.getLogger(DurableOwnership.class);

    private final StreamStore streams;
    private final String subject;
    private final String durable;
    private final String consumerId;
    private final double ackWaitSeconds;
    private final long awaitMillis;
    private volatile boolean owner;
    private volatile long generation;

    DurableOwnership(StreamStore streams, String subject, String durable, String consumerId, long ackWaitMillis,
                     long awaitMillis) {
        this.streams = streams;
        this.subject = subject;
        this.durable = durable;
        this.consumerId = consumerId;
        this.ackWaitSeconds = ackWaitMillis / 1000.0;
        this.awaitMillis = awaitMillis;
    }

    /** Polling thread: true while this consumer holds the durable; takes it when it is free. */
    synchronized boolean hold() throws Exception {
        if (!owner && Futures.await(streams.acquireOrdered(subject, durable, consumerId, ackWaitSeconds), awaitMillis)) {
            owner = true;
            generation++;
            LOG.info("Consumer {} is now the active consumer of durable {} on subject {}", consumerId, durable,
                    subject);
        }
        return owner;
    }

    /** Lease keeper: renews the lease while it is held. */
    synchronized void renew() throws Exception {
        if (owner && !Futures.await(streams.acquireOrdered(subject, durable, consumerId, ackWaitSeconds), awaitMillis)) {
            lose("another consumer holds it now");
        }
    }

    /** The durable went to another consumer (a renewal or an acknowledgement was refused). */
    synchronized void lose(String why) {
        if (owner) {
            owner = false;
            LOG.warn("Consumer {} lost durable {} on subject {}: {}; it stops delivering", consumerId, durable,
                    subject, why);
        }
    }

    boolean isOwner() {
        return owner;
    }

    /** Changes each time the lease is gained. */
    long generation() {
        return generation;
    }

    /** Hands the durable over at once instead of making the next consumer wait for the lease to lapse. */
    synchronized void release() {
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
