package io.minitoolstream.camel.support;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Waiting for the stores' futures on threads that may block, with the real cause of a failure. */
public final class Futures {

    private Futures() {
    }

    /** The future's value within {@code timeoutMillis}; a failure is rethrown as its own cause. */
    public static <T> T await(CompletableFuture<T> future, long timeoutMillis) throws Exception {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** The failure inside completion and execution wrappers. */
    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** A checked failure as an unchecked one, keeping a runtime cause as it is. */
    public static RuntimeException unchecked(Exception e) {
        Throwable cause = unwrap(e);
        return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }
}
