package io.minitoolstream.camel.store;

/** The instance answered but cannot write now (a replica, or a leader that lost its quorum): ask the writable one. */
public class StoreReadOnlyException extends StoreUnavailableException {

    public StoreReadOnlyException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
