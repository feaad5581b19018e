package io.minitoolstream.camel.store;

/** The call is valid but contradicts what the server holds now (for example something another consumer holds). */
public class StoreConflictException extends StreamStoreException {

    public StoreConflictException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
