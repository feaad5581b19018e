package io.minitoolstream.camel;

/** How consumers of one durable share its messages. */
public enum ConsumerMode {
    /** Strict order: one active consumer per durable, the others stand by and take over when its lease lapses. */
    ORDERED("ordered"),
    /** Consumers share the messages: each claim leases messages to one consumer; acks may come in any order. */
    COMPETING("competing");

    private final String optionValue;

    ConsumerMode(String optionValue) {
        this.optionValue = optionValue;
    }

    public String optionValue() {
        return optionValue;
    }

    public static ConsumerMode fromOption(String value) {
        return OptionValues.parse(ConsumerMode.class, "consumerMode", value, ConsumerMode::optionValue);
    }
}
