package io.minitoolstream.camel;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Where a consumer without a stored position starts. */
public enum DeliverPolicy {
    /** From the subject's first message. */
    ALL("all"),
    /** Only messages published after the consumer started. */
    NEW("new"),
    /** From startSequence on. */
    BY_SEQUENCE("bySequence");

    private final String optionValue;

    DeliverPolicy(String optionValue) {
        this.optionValue = optionValue;
    }

    public String optionValue() {
        return optionValue;
    }

    public static DeliverPolicy fromOption(String value) {
        return OptionValues.parse(DeliverPolicy.class, "deliverPolicy", value, DeliverPolicy::optionValue);
    }

    public static String optionValues() {
        return Arrays.stream(values()).map(DeliverPolicy::optionValue).collect(Collectors.joining(","));
    }
}
