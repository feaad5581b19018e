package io.minitoolstream.camel.store;

/**
 * The publish carried a message id that a record stored within the duplicate window already has: nothing was
 * stored. A definite refusal, like every {@link StoreConflictException}; {@link #original()} names the record the
 * id belongs to.
 */
public class StoreDuplicateException extends StoreConflictException {

    private final transient OriginalMessage original;

    public StoreDuplicateException(String message, OriginalMessage original) {
        super(message, message, null);
        this.original = original;
    }

    public OriginalMessage original() {
        return original;
    }
}
