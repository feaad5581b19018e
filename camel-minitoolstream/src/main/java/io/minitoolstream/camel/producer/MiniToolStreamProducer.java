package io.minitoolstream.camel.producer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.minitoolstream.camel.MiniToolStreamConfiguration;
import io.minitoolstream.camel.MiniToolStreamConstants;
import io.minitoolstream.camel.MiniToolStreamEndpoint;
import io.minitoolstream.camel.MiniToolStreamMessage;
import io.minitoolstream.camel.MiniToolStreamOperations;
import io.minitoolstream.camel.SubjectNames;
import io.minitoolstream.camel.health.ProducerHealthChecks;
import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StoredMessage;
import io.minitoolstream.camel.store.StreamStore;
import io.minitoolstream.camel.support.Futures;
import io.minitoolstream.camel.support.StartTimes;
import io.minitoolstream.camel.support.StoredHeaders;
import io.minitoolstream.camel.support.StreamMetrics;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the endpoint's operation for each exchange. Asynchronous: Tarantool calls are handed to the driver and
 * object storage transfers to a thread pool, and the exchange continues on that pool (never on the driver's I/O
 * threads) once the result is in.
 */
public class MiniToolStreamProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(MiniToolStreamProducer.class);

    private final MiniToolStreamEndpoint endpoint;
    private final MiniToolStreamConfiguration config;
    private ProducerThreads executor;
    private StreamStore streams;
    private PayloadStore payloads;
    private Publisher publisher;
    private ExpiredMessages expiredMessages;
    private OrphanSweep orphanSweep;
    private ProducerHealthChecks.Hold healthCheck;
    private StreamMetrics metrics;

    public MiniToolStreamProducer(MiniToolStreamEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        executor = new ProducerThreads(endpoint.getCamelContext(),
                "MiniToolStreamProducer[" + config.getSubject() + "]");
        streams = endpoint.streamStore();
        payloads = endpoint.payloadStore();
        publisher = new Publisher(streams, payloads, executor);
        expiredMessages = new ExpiredMessages(streams, payloads, config.getRequestTimeout() * 2L);
        orphanSweep = new OrphanSweep(streams, payloads, Clock.systemUTC(), config.getRequestTimeout() * 2L);
        metrics = StreamMetrics.of(config.getMeterRegistry());
        healthCheck = endpoint.getComponent().holdProducerHealthCheck(streams, payloads, config.getRequestTimeout());
    }

    @Override
    protected void doStop() throws Exception {
        if (healthCheck != null) {
            healthCheck.release();
            healthCheck = null;
        }
        if (executor != null) {
            executor.shutdown();
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CompletableFuture<?> result;
        try {
            result = start(exchange);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        result.whenCompleteAsync((ignored, failure) -> {
            if (failure != null) {
                exchange.setException(Futures.unwrap(failure));
            }
            callback.done(false);
        }, executor);
        return false;
    }

    private CompletableFuture<?> start(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        MiniToolStreamOperations operation = in.getHeader(MiniToolStreamConstants.OPERATION,
                config.getOperation(), MiniToolStreamOperations.class);
        String subject = config.getSubject();
        if (SubjectNames.ALL_SUBJECTS.equals(subject) && !operation.acceptsAllSubjects()) {
            throw new IllegalArgumentException("operation " + operation + " needs a subject, not '*'");
        }
        return switch (operation) {
            case publish -> publish(exchange, subject);
            case getLastSequence -> streams.lastSequence(subject).thenAccept(in::setBody);
            case fetch -> fetch(exchange, subject, Boolean.TRUE.equals(in.getHeader(MiniToolStreamConstants.AUTO_ACK,
                    Boolean.class)));
            case peek -> streams.peek(durable(exchange, operation), subject, limit(exchange))
                    .thenAccept(records -> in.setBody(toMessages(records)));
            case ack -> streams.ack(durable(exchange, operation), subject, sequence(exchange, operation))
                    .thenAccept(in::setBody);
            case getConsumerPosition -> streams.consumerPosition(durable(exchange, operation), subject)
                    .thenAccept(in::setBody);
            case checkNewMessages -> streams.checkNewMessages(subject, durable(exchange, operation))
                    .thenAccept(in::setBody);
            case deleteOldMessages -> onExecutor(() -> deleteOldMessages(exchange, subject)).thenAccept(in::setBody);
            case sweepOrphans -> onExecutor(() -> orphanSweep.sweep(Duration.ofMillis(config.getOrphanGracePeriod()),
                    OrphanSweep.PAGE_SIZE).size()).thenAccept(in::setBody);
            case resetPosition -> resetPosition(exchange, subject).thenAccept(in::setBody);
        };
    }

    /** Blocking work (object deletions, bucket listing) runs on the producer's pool, never on a driver thread. */
    private <T> CompletableFuture<T> onExecutor(Callable<T> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (Exception e) {
                throw Futures.unchecked(e);
            }
        }, executor);
    }

    private CompletableFuture<?> publish(Exchange exchange, String subject) throws Exception {
        // Headers first: a bad header fails before the body is opened or anything is uploaded.
        Map<String, String> headers = StoredHeaders.fromExchange(exchange, endpoint.headerFilterStrategy());
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        Publisher.MessageId messageId = new Publisher.MessageId(
                MessageIds.fromHeader(exchange.getIn().getHeader(MiniToolStreamConstants.MESSAGE_ID)),
                config.getDuplicateWindow());
        PayloadSource source = PayloadSource.of(exchange, config.getInlineThreshold());
        return publisher.publish(subject, headers, source, contentType, messageId).whenComplete((published, failure) -> {
                    if (failure != null) {
                        metrics.publishFailed(subject);
                        return;
                    }
                    if (!published.duplicate()) {
                        metrics.published(subject, published.objectName() == null, published.size());
                    }
                    exchange.getIn().setHeader(MiniToolStreamConstants.SEQUENCE, published.sequence());
                    exchange.getIn().setHeader(MiniToolStreamConstants.OBJECT_NAME, published.objectName());
                    exchange.getIn().setHeader(MiniToolStreamConstants.DUPLICATE, published.duplicate());
                });
    }

    /** The start time header when set (it wins over a sequence header a consumed exchange carries anyway). */
    private CompletableFuture<Long> resetPosition(Exchange exchange, String subject) {
        String durable = durable(exchange, MiniToolStreamOperations.resetPosition);
        Object startTime = exchange.getIn().getHeader(MiniToolStreamConstants.START_TIME);
        if (startTime != null) {
            return streams.resetPosition(durable, subject, null,
                    StartTimes.parse(MiniToolStreamConstants.START_TIME, startTime));
        }
        return streams.resetPosition(durable, subject, sequence(exchange, MiniToolStreamOperations.resetPosition),
                null);
    }

    private CompletableFuture<?> fetch(Exchange exchange, String subject, boolean autoAck) {
        String durable = durable(exchange, MiniToolStreamOperations.fetch);
        return streams.peek(durable, subject, limit(exchange)).thenCompose(records -> {
            CompletableFuture<?> acked = autoAck && !records.isEmpty()
                    ? streams.ack(durable, subject, records.get(records.size() - 1).sequence())
                    : CompletableFuture.completedFuture(null);
            return acked.thenApply(ignored -> records);
        }).thenAccept(records -> exchange.getIn().setBody(toMessages(records)));
    }

    private long deleteOldMessages(Exchange exchange, String subject) throws Exception {
        Long ttlHeader = exchange.getIn().getHeader(MiniToolStreamConstants.TTL, Long.class);
        long ttlSeconds = ttlHeader != null ? ttlHeader : TimeUnit.MILLISECONDS.toSeconds(config.getTtl());
        if (ttlSeconds < 0) {
            throw new IllegalArgumentException("invalid " + MiniToolStreamConstants.TTL + " '" + ttlSeconds
                                               + "': must not be negative");
        }
        return expiredMessages.delete(ttlSeconds, SubjectNames.ALL_SUBJECTS.equals(subject) ? null : subject);
    }

    private List<MiniToolStreamMessage> toMessages(List<StoredMessage> records) {
        return records.stream().map(record -> new MiniToolStreamMessage(record, payloads)).toList();
    }

    private String durable(Exchange exchange, MiniToolStreamOperations operation) {
        String durable = exchange.getIn().getHeader(MiniToolStreamConstants.DURABLE, config.getDurable(), String.class);
        if (durable == null) {
            throw new IllegalArgumentException("operation " + operation + " needs a durable: set the durable option"
                                               + " or the " + MiniToolStreamConstants.DURABLE + " header");
        }
        return SubjectNames.requireValid("durable", durable);
    }

    private int limit(Exchange exchange) {
        Integer limit = exchange.getIn().getHeader(MiniToolStreamConstants.LIMIT, Integer.class);
        if (limit == null) {
            return config.effectiveMaxMessagesPerPoll();
        }
        if (limit < 1 || limit > MiniToolStreamConfiguration.MAX_MESSAGES_PER_POLL_CAP) {
            throw new IllegalArgumentException("invalid " + MiniToolStreamConstants.LIMIT + " '" + limit
                                               + "': must be between 1 and "
                                               + MiniToolStreamConfiguration.MAX_MESSAGES_PER_POLL_CAP);
        }
        return limit;
    }

    private static long sequence(Exchange exchange, MiniToolStreamOperations operation) {
        Long sequence = exchange.getIn().getHeader(MiniToolStreamConstants.SEQUENCE, Long.class);
        if (sequence == null || sequence < 1) {
            throw new IllegalArgumentException("operation " + operation + " needs the "
                                               + MiniToolStreamConstants.SEQUENCE + " header with a sequence of at"
                                               + " least 1" + (operation == MiniToolStreamOperations.resetPosition
                                               ? " (or the " + MiniToolStreamConstants.START_TIME + " header)" : "")
                                               + ", got '" + sequence + "'");
        }
        return sequence;
    }
}
