package io.minitoolstream.camel;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Parses an option whose allowed values are an enum's option spellings, failing with the allowed values. */
final class OptionValues {

    private OptionValues() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String option, String value, Function<E, String> spelling) {
        for (E candidate : type.getEnumConstants()) {
            if (spelling.apply(candidate).equals(value)) {
                return candidate;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(spelling).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("invalid " + option + " '" + value + "': expected one of " + allowed);
    }
}
