package io.minitoolstream.camel;

import io.minitoolstream.camel.consumer.CompetingConsumer;
import io.minitoolstream.camel.consumer.OrderedConsumer;
import io.minitoolstream.camel.producer.MiniToolStreamProducer;
import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StreamStore;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * Publish to and consume from a MiniToolStream subject: message metadata in Tarantool, payloads of any size in
 * S3-compatible object storage, at-least-once delivery with durable consumer positions.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "minitoolstream", title = "MiniToolStream",
             syntax = "minitoolstream:subject", category = { Category.MESSAGING, Category.FILE },
             headersClass = MiniToolStreamConstants.class)
public class MiniToolStreamEndpoint extends ScheduledPollEndpoint {

    @UriParam
    private MiniToolStreamConfiguration configuration;

    /** Polls skipped after a failed one, unless backoffMultiplier/backoffErrorThreshold are set. */
    static final int DEFAULT_BACKOFF_MULTIPLIER = 4;

    private final HeaderFilterStrategy defaultHeaderFilter = new MiniToolStreamHeaderFilterStrategy();

    public MiniToolStreamEndpoint(String uri, MiniToolStreamComponent component,
                                  MiniToolStreamConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public MiniToolStreamComponent getComponent() {
        return (MiniToolStreamComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new MiniToolStreamProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (SubjectNames.ALL_SUBJECTS.equals(configuration.getSubject())) {
            throw new IllegalArgumentException("invalid subject '*' for a consumer: consume one subject");
        }
        org.apache.camel.support.ScheduledBatchPollingConsumer consumer
                = configuration.getConsumerMode() == ConsumerMode.COMPETING
                        ? new CompetingConsumer(this, processor) : new OrderedConsumer(this, processor);
        configureConsumer(consumer);
        if (getBackoffMultiplier() == 0 && getBackoffErrorThreshold() == 0) {
            // while a store is down, skip polls instead of failing every poll interval
            consumer.setBackoffErrorThreshold(1);
            consumer.setBackoffMultiplier(DEFAULT_BACKOFF_MULTIPLIER);
        }
        consumer.setMaxMessagesPerPoll(configuration.effectiveMaxMessagesPerPoll());
        return consumer;
    }

    public MiniToolStreamConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The endpoint's options.
     */
    public void setConfiguration(MiniToolStreamConfiguration configuration) {
        this.configuration = configuration;
    }

    public StreamStore streamStore() {
        return getComponent().streamStore(configuration);
    }

    public PayloadStore payloadStore() {
        return getComponent().payloadStore(configuration);
    }

    public HeaderFilterStrategy headerFilterStrategy() {
        HeaderFilterStrategy configured = configuration.getHeaderFilterStrategy();
        return configured != null ? configured : defaultHeaderFilter;
    }
}
