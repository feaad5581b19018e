package io.minitoolstream.camel.consumer;

import io.minitoolstream.camel.store.PayloadStoreException;
import io.minitoolstream.camel.store.StoreUnavailableException;
import io.minitoolstream.camel.support.Futures;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once that a store is out of reach, and once that it is back, instead of a stack trace on every poll.
 * Failures that are not outages (a route failure, a refused argument) go to Camel's exception handler as before.
 * Together with the consumer's poll backoff this keeps an outage from flooding the log while routes stay started.
 */
final class OutageReporter implements ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(OutageReporter.class);

    private final ExceptionHandler delegate;
    private final String consumer;
    private volatile String outage;

    OutageReporter(ExceptionHandler delegate, String consumer) {
        this.delegate = delegate;
        this.consumer = consumer;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        Throwable cause = Futures.unwrap(exception);
        if (!(cause instanceof StoreUnavailableException || cause instanceof PayloadStoreException)) {
            delegate.handleException(message, exchange, exception);
            return;
        }
        String reason = cause.getMessage();
        synchronized (this) {
            if (reason.equals(outage)) {
                LOG.debug("{} still waiting: {}", consumer, reason);
                return;
            }
            outage = reason;
        }
        // The message names the address and the user (never the password); the stack adds nothing here.
        LOG.warn("{} cannot reach its store and retries with backoff: {}", consumer, reason);
    }

    /** A poll got through: say so once if there was an outage. */
    void reachable() {
        if (outage != null) {
            synchronized (this) {
                if (outage == null) {
                    return;
                }
                outage = null;
            }
            LOG.info("{} reaches its stores again", consumer);
        }
    }
}
