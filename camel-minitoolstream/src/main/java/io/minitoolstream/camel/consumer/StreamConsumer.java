package io.minitoolstream.camel.consumer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import io.minitoolstream.camel.MiniToolStreamConfiguration;
import io.minitoolstream.camel.MiniToolStreamEndpoint;
import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StreamStore;
import io.minitoolstream.camel.support.Futures;
import io.minitoolstream.camel.support.StreamMetrics;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledBatchPollingConsumer;

/**
 * What every minitoolstream consumer has: the endpoint's shared stores, its metrics, the delivery path (exchange
 * per record, commit on completion, dead letters, storage health check), a consumer id for Tarantool's lease
 * bookkeeping, and threads from Camel's executor manager. {@link OrderedConsumer} and {@link CompetingConsumer}
 * add how they take messages and what they hold while delivering them.
 */
public abstract class StreamConsumer extends ScheduledBatchPollingConsumer {

    protected final MiniToolStreamEndpoint endpoint;
    protected final MiniToolStreamConfiguration config;
    /** Names this instance in Tarantool's leases (ordered ownership, competing claims). */
    protected final String consumerId = ConsumerIds.next();
    protected StreamStore streams;
    protected PayloadStore payloads;
    protected StreamMetrics metrics;
    protected RecordDelivery delivery;

    protected StreamConsumer(MiniToolStreamEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        streams = endpoint.streamStore();
        payloads = endpoint.payloadStore();
        metrics = StreamMetrics.of(config.getMeterRegistry());
        delivery = RecordDelivery.forConsumer(this, endpoint, streams, payloads, metrics);
        prepare();
        super.doStart();
    }

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
