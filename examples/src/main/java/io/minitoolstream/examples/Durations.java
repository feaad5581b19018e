package io.minitoolstream.examples;

import java.time.Duration;

import org.apache.camel.util.TimeUtils;

/** Parses configured durations: Camel's text form ({@code 500ms}, {@code 90s}, {@code 30m}, {@code 24h}) or millis. */
public final class Durations {

    private Durations() {
    }

    /** A duration of at least one second (TTLs are counted in whole seconds). */
    public static Duration seconds(String what, String text) {
        Duration duration = parse(what, text);
        if (duration.getSeconds() < 1) {
            throw new IllegalArgumentException("invalid " + what + " '" + text + "': must be at least 1s");
        }
        return duration;
    }

    /** A duration above zero. */
    public static Duration positive(String what, String text) {
        Duration duration = parse(what, text);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("invalid " + what + " '" + text + "': must be above zero");
        }
        return duration;
    }

    /** A duration of zero or more. */
    public static Duration notNegative(String what, String text) {
        Duration duration = parse(what, text);
        if (duration.isNegative()) {
            throw new IllegalArgumentException("invalid " + what + " '" + text + "': must not be negative");
        }
        return duration;
    }

    private static Duration parse(String what, String text) {
        try {
            return TimeUtils.toDuration(text == null ? "" : text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid " + what + " '" + text + "': not a duration (e.g. 500ms, 90s,"
                                               + " 30m, 24h)", e);
        }
    }
}
