package io.minitoolstream.camel;

/** How consumers of one durable share its messages. Option values are case-insensitive. */
public enum ConsumerMode {
    /** Strict order: one active consumer per durable, the others stand by and take over when its lease lapses. */
    ORDERED,
    /** Consumers share the messages: each claim leases messages to one consumer; acks may come in any order. */
    COMPETING;

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
