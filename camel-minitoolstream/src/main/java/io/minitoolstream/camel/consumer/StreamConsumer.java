package io.minitoolstream.camel.consumer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.minitoolstream.camel.MiniToolStreamConfiguration;
import io.minitoolstream.camel.MiniToolStreamEndpoint;
import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StreamStore;
import io.minitoolstream.camel.support.Futures;
import io.minitoolstream.camel.support.StreamMetrics;
import org.apache.camel.Processor;
import org.apache.camel.support.LoggingExceptionHandler;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every minitoolstream consumer has: the endpoint's shared stores, its metrics, the delivery path (exchange
 * per record, commit on completion, dead letters, storage health check), a consumer id for Tarantool's lease
 * bookkeeping, threads from Camel's executor manager, and the lease keeper that renews what it holds. {@link OrderedConsumer} and {@link CompetingConsumer}
 * add how they take messages and what they hold while delivering them.
 */
public abstract class StreamConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(StreamConsumer.class);
    /** Renewals are never more frequent than this, however short ackWait is. */
    private static final long MIN_RENEWAL_MILLIS = 50;

    protected final MiniToolStreamEndpoint endpoint;
    protected final MiniToolStreamConfiguration config;
    /** Names this instance in Tarantool's leases (ordered ownership, competing claims). */
    protected final String consumerId = ConsumerIds.next();
    protected StreamStore streams;
    protected PayloadStore payloads;
    protected StreamMetrics metrics;
    protected RecordDelivery delivery;
    protected RedeliveryBackoff backoff;
    /** Acknowledgements Tarantool refused because this consumer no longer held what it acknowledged. */
    private final AtomicLong refusedAcks = new AtomicLong();
    private ScheduledExecutorService leaseKeeper;
    private OutageReporter outages;

    protected StreamConsumer(MiniToolStreamEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        streams = endpoint.streamStore();
        payloads = endpoint.payloadStore();
        if (getExceptionHandler() instanceof LoggingExceptionHandler) {
            // an outage is said once, not with a stack trace per poll (a bridged error handler is left alone)
            outages = new OutageReporter(getExceptionHandler(), "Consumer of subject " + config.getSubject()
                    + (config.getDurable() == null ? "" : " (durable " + config.getDurable() + ")"));
            setExceptionHandler(outages);
        }
        metrics = StreamMetrics.of(config.getMeterRegistry());
        delivery = RecordDelivery.forConsumer(this, endpoint, streams, payloads, metrics);
        backoff = RedeliveryBackoff.parse(config.getRedeliveryBackoff());
        prepare();
        super.doStart();
        long period = Math.max(MIN_RENEWAL_MILLIS, config.getAckWait() / 3);
        leaseKeeper = endpoint.getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                "MiniToolStreamLeaseKeeper[" + config.getSubject() + "]");
        leaseKeeper.scheduleWithFixedDelay(this::renewLeasesLoggingFailures, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (leaseKeeper != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownNow(leaseKeeper);
            leaseKeeper = null;
        }
    }

    /**
     * Renews what this consumer holds, about every ackWait/3 on the lease keeper's thread, independent of the
     * polling thread (which may be inside a slow route): the ordered owner's durable, a competing consumer's claims.
     */
    protected abstract void renewLeases() throws Exception;

    private void renewLeasesLoggingFailures() {
        try {
            renewLeases();
        } catch (Exception e) {
            // Tarantool unreachable: the lease lapses unless a later renewal gets through, which is what it is for.
            LOG.warn("Could not renew the leases of consumer {} on subject {}: {}", consumerId, config.getSubject(),
                    Futures.unwrap(e).getMessage());
        }
    }

    /** Counts and reports acknowledgements refused by fencing. */
    protected void acksRefused(int count, String why) {
        refusedAcks.addAndGet(count);
        metrics.acksRefused(config.getSubject(), config.getDurable(), count);
        LOG.warn("{} acknowledgement(s) of consumer {} for durable {} on subject {} refused: {}", count, consumerId,
                config.getDurable(), config.getSubject(), why);
    }

    /** Acknowledgements Tarantool refused because this consumer no longer held the durable or the message. */
    public long getRefusedAcknowledgements() {
        return refusedAcks.get();
    }

    /** The reason a failed exchange is remembered with (the dead letter carries it). */
    protected static String reasonOf(Throwable cause) {
        return cause == null ? "the route failed" : cause.toString();
    }

    @Override
    protected final int poll() throws Exception {
        int delivered = pollOnce();
        if (outages != null) {
            outages.reachable();
        }
        return delivered;
    }

    /** One poll of the mode: take messages, deliver them, acknowledge; returns how many were completed. */
    protected abstract int pollOnce() throws Exception;

    /** Sets up what the mode needs before the first poll; the stores and the delivery path are ready. */
    protected abstract void prepare() throws Exception;

    /** A pool of {@code size} threads named after the subject, shut down with this consumer by Camel. */
    protected ExecutorService newThreadPool(String purpose, int size) {
        return endpoint.getCamelContext().getExecutorServiceManager().newFixedThreadPool(this,
                "MiniToolStream" + purpose + "[" + config.getSubject() + "]", size);
    }

    /** ackWait in seconds, as Tarantool's leases take it. */
    protected double ackWaitSeconds() {
        return config.getAckWait() / 1000.0;
    }

    /** Waits for a store call: twice the request timeout, so a driver-side timeout reports first. */
    protected <T> T await(CompletableFuture<T> future) throws Exception {
        return Futures.await(future, config.getRequestTimeout() * 2L);
    }
}
