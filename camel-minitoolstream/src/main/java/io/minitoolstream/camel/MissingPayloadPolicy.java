package io.minitoolstream.camel;

/** What a consumer does when a record's payload object no longer exists in object storage. */
public enum MissingPayloadPolicy {
    /** Log a warning naming the sequence and object, acknowledge, go on. The subject is never blocked. */
    SKIP("skip"),
    /** Report the error to the consumer's exception handler and retry on every poll until the object is back. */
    FAIL("fail"),
    /** Publish the record's headers with the reason to deadLetterSubject, then acknowledge. */
    DEAD_LETTER("deadLetter");

    private final String optionValue;

    MissingPayloadPolicy(String optionValue) {
        this.optionValue = optionValue;
    }

    public String optionValue() {
        return optionValue;
    }

    public static MissingPayloadPolicy fromOption(String value) {
        return OptionValues.parse(MissingPayloadPolicy.class, "missingPayloadPolicy", value,
                MissingPayloadPolicy::optionValue);
    }
}
