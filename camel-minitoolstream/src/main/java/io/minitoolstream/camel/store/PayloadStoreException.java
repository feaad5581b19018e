package io.minitoolstream.camel.store;

/** Object storage failed; the message names the bucket and object, never credentials. */
public class PayloadStoreException extends RuntimeException {

    public PayloadStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public PayloadStoreException(String message) {
        super(message);
    }
}
