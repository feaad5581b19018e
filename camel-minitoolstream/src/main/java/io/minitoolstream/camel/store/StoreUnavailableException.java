package io.minitoolstream.camel.store;

/** Tarantool could not be reached or did not answer in time (refused, timed out, login failed): worth retrying later. */
public class StoreUnavailableException extends StreamStoreException {

    public StoreUnavailableException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
