package io.minitoolstream.camel;

/**
 * What a consumer does when a record's payload object no longer exists in object storage. Option values are
 * case-insensitive ({@code deadLetter}, {@code DEAD_LETTER}); {@link #toString()} gives the documented spelling.
 */
public enum MissingPayloadPolicy {
    /** Log a warning naming the sequence and object, acknowledge, go on. The subject is never blocked. */
    SKIP("skip"),
    /** Report the error to the consumer's exception handler and retry on every poll until the object is back. */
    FAIL("fail"),
    /** Publish the record's headers with the reason to deadLetterSubject, then acknowledge. */
    DEAD_LETTER("deadLetter");

    private final String option;

    MissingPayloadPolicy(String option) {
        this.option = option;
    }

    @Override
    public String toString() {
        return option;
    }
}
