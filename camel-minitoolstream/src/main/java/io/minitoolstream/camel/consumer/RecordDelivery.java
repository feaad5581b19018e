package io.minitoolstream.camel.consumer;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.minitoolstream.camel.MiniToolStreamConfiguration;
import io.minitoolstream.camel.MiniToolStreamEndpoint;
import io.minitoolstream.camel.MissingPayloadPolicy;
import io.minitoolstream.camel.health.StorageHealthCheck;
import io.minitoolstream.camel.store.PayloadNotFoundException;
import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StoredMessage;
import io.minitoolstream.camel.store.StreamStore;
import io.minitoolstream.camel.support.StreamMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one stored record into an exchange, runs the route, and commits only when the route completed it.
 * Shared by the ordered and the competing consumer; what "commit" and "failed" mean is theirs.
 */
final class RecordDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(RecordDelivery.class);

    /** What a consumer does when a delivery ends. */
    interface Outcome {
        /** The route completed the record (or the missing-payload policy handled it): acknowledge; true if it stuck. */
        boolean commit(StoredMessage record, int deliveryCount);

        /** The {@code deliveryCount}-th delivery failed: the route failed the record, or its payload could not be opened. */
        void failed(StoredMessage record, int deliveryCount, Throwable cause);
    }

    /** Opens a record's payload stream in object storage. */
    interface PayloadOpener {
        InputStream open(StoredMessage record) throws PayloadNotFoundException;
    }

    private final MiniToolStreamEndpoint endpoint;
    private final PayloadStore payloads;
    private final PayloadOpener openWhenDelivered;
    private final Supplier<Exchange> exchanges;
    private final Consumer<Exchange> release;
    private final Processor processor;
    private final ExceptionHandler exceptionHandler;
    private final MissingPayloadPolicy missingPayloadPolicy;
    private final DeadLetters deadLetters;
    private final StreamMetrics metrics;
    private final long timeoutMillis;

    RecordDelivery(MiniToolStreamEndpoint endpoint, PayloadStore payloads, Supplier<Exchange> exchanges,
                   Consumer<Exchange> release, Processor processor, ExceptionHandler exceptionHandler,
                   DeadLetters deadLetters, StreamMetrics metrics) {
        this.endpoint = endpoint;
        this.payloads = payloads;
        this.openWhenDelivered = record -> payloads.get(record.objectName());
        this.exchanges = exchanges;
        this.release = release;
        this.processor = processor;
        this.exceptionHandler = exceptionHandler;
        this.missingPayloadPolicy = endpoint.getConfiguration().getMissingPayloadPolicy();
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.timeoutMillis = endpoint.getConfiguration().getRequestTimeout() * 2L;
    }

    /**
     * The delivery path of a consumer of {@code endpoint}, with its dead-letter subject when one is configured;
     * also installs the storage health check on the consumer (when enabled), after Camel's own polling check.
     */
    static RecordDelivery forConsumer(ScheduledBatchPollingConsumer consumer, MiniToolStreamEndpoint endpoint,
                                      StreamStore streams, PayloadStore payloads, StreamMetrics metrics) {
        MiniToolStreamConfiguration config = endpoint.getConfiguration();
        DeadLetters deadLetters = config.getDeadLetterSubject() == null ? null
                : new DeadLetters(config.getDeadLetterSubject(), streams, payloads, config.getRequestTimeout() * 2L);
        if (endpoint.getComponent().isHealthCheckConsumerEnabled()
                && !(consumer.getHealthCheck() instanceof StorageHealthCheck)) {
            consumer.setHealthCheck(new StorageHealthCheck("minitoolstream-consumer-" + consumer.getRouteId(),
                    streams, payloads, config.getRequestTimeout(), consumer.getHealthCheck()));
        }
        return new RecordDelivery(endpoint, payloads, () -> consumer.createExchange(false),
                exchange -> consumer.releaseExchange(exchange, false), consumer.getProcessor(),
                consumer.getExceptionHandler(), deadLetters, metrics);
    }

    /** Opens the payloads of {@code batch} up to {@code depth} ahead of delivery, on {@code executor}. */
    PayloadPrefetch prefetch(List<StoredMessage> batch, Executor executor, int depth) {
        return new PayloadPrefetch(payloads, executor, depth, batch);
    }

    /** Where undeliverable messages go; null when the endpoint has no deadLetterSubject. */
    DeadLetters deadLetters() {
        return deadLetters;
    }

    /** Delivers one record; true when it was completed (or handled by the missing-payload policy) and committed. */
    boolean deliver(StoredMessage record, int deliveryCount, int index, int total, Outcome outcome) throws Exception {
        return deliver(record, deliveryCount, index, total, outcome, openWhenDelivered);
    }

    /** Delivers one record whose payload {@code opener} opens (for instance one opened ahead). */
    boolean deliver(StoredMessage record, int deliveryCount, int index, int total, Outcome outcome,
                    PayloadOpener opener) throws Exception {
        InputStream payload = null;
        if (!record.isInline()) {
            try {
                payload = opener.open(record);
            } catch (PayloadNotFoundException e) {
                return handleMissingPayload(record, deliveryCount, e, outcome);
            } catch (RuntimeException e) {
                exceptionHandler.handleException("Could not open the payload of message " + record.sequence()
                                                 + "; it will be delivered again", e);
                outcome.failed(record, deliveryCount, e);
                return false;
            }
        }
        Exchange exchange = exchanges.get();
        try {
            RecordExchanges.populate(exchange, record, payload, deliveryCount, index, total,
                    endpoint.headerFilterStrategy());
            CompletableFuture<Boolean> committed = new CompletableFuture<>();
            exchange.getExchangeExtension().addOnCompletion(
                    new CommitOnCompletion(record, payload, deliveryCount, outcome, committed));
            processor.process(exchange);
            if (exchange.getException() != null) {
                exceptionHandler.handleException("Message " + record.sequence() + " of subject " + record.subject()
                                                 + " failed; it will be delivered again", exchange,
                        exchange.getException());
            }
            return committed.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Message {} did not complete in time; it stays unacknowledged", record.sequence());
            return false;
        } finally {
            release.accept(exchange);
        }
    }

    private boolean handleMissingPayload(StoredMessage record, int deliveryCount, PayloadNotFoundException e,
                                         Outcome outcome) throws Exception {
        switch (missingPayloadPolicy) {
            case FAIL -> {
                exceptionHandler.handleException("Message " + record.sequence() + " of subject " + record.subject()
                                                 + " has lost its payload", e);
                outcome.failed(record, deliveryCount, e);
                return false;
            }
            case DEAD_LETTER -> {
                deadLetters.publish(record, e.getMessage(), false);
                LOG.warn("Message {} of subject {}: payload {} is missing; sent to dead-letter subject {}",
                        record.sequence(), record.subject(), record.objectName(), deadLetters.subject());
            }
            case SKIP -> LOG.warn("Message {} of subject {}: payload {} is missing; skipped", record.sequence(),
                    record.subject(), record.objectName());
        }
        return outcome.commit(record, deliveryCount);
    }

    /** Commits when the route completed the exchange; a failed exchange is not acknowledged. */
    private final class CommitOnCompletion extends SynchronizationAdapter {
        private final StoredMessage record;
        private final InputStream payload;
        private final int deliveryCount;
        private final Outcome outcome;
        private final CompletableFuture<Boolean> committed;

        CommitOnCompletion(StoredMessage record, InputStream payload, int deliveryCount, Outcome outcome,
                           CompletableFuture<Boolean> committed) {
            this.record = record;
            this.payload = payload;
            this.deliveryCount = deliveryCount;
            this.outcome = outcome;
            this.committed = committed;
        }

        @Override
        public void onComplete(Exchange exchange) {
            closePayload();
            boolean done = outcome.commit(record, deliveryCount);
            if (done) {
                metrics.consumed(record.subject(), endpoint.getConfiguration().getDurable(), record.size(),
                        deliveryCount > 1);
            }
            committed.complete(done);
        }

        @Override
        public void onFailure(Exchange exchange) {
            closePayload();
            metrics.consumeFailed(record.subject(), endpoint.getConfiguration().getDurable());
            outcome.failed(record, deliveryCount, exchange.getException());
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
