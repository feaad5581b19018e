package io.minitoolstream.examples.grpc;

import io.minitoolstream.camel.store.PayloadStoreException;
import io.minitoolstream.camel.store.StoreInvalidArgumentException;
import io.minitoolstream.camel.store.StreamStoreException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.grpc.Status;
import org.apache.camel.Exchange;

/**
 * How a failure is told to a gRPC client. One classification for every method, reported either in the response's
 * own error fields (Publish, AckMessage) or as the call's gRPC status (Fetch, GetLastSequence, Subscribe):
 * <ul>
 * <li>a bad request (checked here, or refused by Tarantool as an invalid argument) is {@code INVALID_ARGUMENT} (3),
 * with a message naming the field and the value;</li>
 * <li>Tarantool or object storage failing is {@code UNAVAILABLE} (14);</li>
 * <li>anything else is {@code INTERNAL} (13).</li>
 * </ul>
 */
public final class Failures {

    private Failures() {
    }

    /** The exception a doCatch block caught, or the exchange's own. */
    public static Throwable caught(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (caught == null) {
            caught = exchange.getException();
        }
        return caught == null ? new IllegalStateException("unknown failure") : unwrap(caught);
    }

    public static Status status(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(cause.getMessage());
        }
        if (cause instanceof StoreInvalidArgumentException invalid) {
            // the server's reason names the field and the value; the call's name means nothing to a gRPC client
            return Status.INVALID_ARGUMENT.withDescription(invalid.reason());
        }
        if (cause instanceof StreamStoreException || cause instanceof PayloadStoreException) {
            return Status.UNAVAILABLE.withDescription(cause.getMessage());
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return Status.INTERNAL.withDescription(message);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
