package io.minitoolstream.camel;

/**
 * Where a consumer without a stored position starts. Option values are case-insensitive ({@code all},
 * {@code ALL}); {@link #toString()} gives the documented spelling.
 */
public enum DeliverPolicy {
    /** From the subject's first message. */
    ALL("all"),
    /** Only messages published after the consumer started. */
    NEW("new"),
    /** From startSequence on. */
    BY_SEQUENCE("bySequence"),
    /** From the first message published at or after startTime. */
    BY_START_TIME("byStartTime");

    private final String option;

    DeliverPolicy(String option) {
        this.option = option;
    }

    @Override
    public String toString() {
        return option;
    }
}
