package io.minitoolstream.camel.store;

/** The server refused the call's arguments (a bad subject, sequence, header...): retrying the same call cannot help. */
public class StoreInvalidArgumentException extends StreamStoreException {

    public StoreInvalidArgumentException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
