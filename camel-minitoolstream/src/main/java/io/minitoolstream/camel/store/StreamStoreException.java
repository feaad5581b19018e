package io.minitoolstream.camel.store;

/** Tarantool rejected a call or could not be reached; the message names the function and the server's reason. */
public class StreamStoreException extends RuntimeException {

    public StreamStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StreamStoreException(String message) {
        super(message);
    }
}
