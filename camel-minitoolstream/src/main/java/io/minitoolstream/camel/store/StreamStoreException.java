package io.minitoolstream.camel.store;

/**
 * Tarantool rejected a call or could not be reached; the message names the function and the server's reason.
 * Subclasses say what kind of failure it was, so callers decide on the type, never on message text.
 */
public class StreamStoreException extends RuntimeException {

    private final String reason;

    public StreamStoreException(String message, String reason, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public StreamStoreException(String message, Throwable cause) {
        this(message, message, cause);
    }

    public StreamStoreException(String message) {
        this(message, message, null);
    }

    /** The server's (or the connection's) reason alone, without the name of the call. */
    public String reason() {
        return reason;
    }
}
