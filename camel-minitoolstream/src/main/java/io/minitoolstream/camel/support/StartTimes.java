package io.minitoolstream.camel.support;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;

/** Points in time as the startTime option and the CamelMiniToolStreamStartTime header give them. */
public final class StartTimes {

    private StartTimes() {
    }

    /**
     * Milliseconds since the epoch of an ISO-8601 instant ({@code 2026-12-01T10:15:30Z}, with an offset or
     * fractions), a number of epoch milliseconds (as text or a number), an {@link Instant} or a {@link Date}.
     *
     * @param name what the value is, for the error message
     * @throws IllegalArgumentException naming the value when it is none of those, or before the epoch
     */
    public static long parse(String name, Object value) {
        long millis;
        if (value instanceof Instant instant) {
            millis = instant.toEpochMilli();
        } else if (value instanceof Date date) {
            millis = date.getTime();
        } else if (value instanceof Number number) {
            millis = number.longValue();
        } else if (value instanceof String text && !text.isBlank()) {
            millis = parseText(name, text.strip());
        } else {
            throw invalid(name, value);
        }
        if (millis < 0) {
            throw new IllegalArgumentException("invalid " + name + " '" + value + "': must not be before 1970");
        }
        return millis;
    }

    private static long parseText(String name, String text) {
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw invalid(name, text);
            }
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw invalid(name, text);
        }
    }

    private static IllegalArgumentException invalid(String name, Object value) {
        return new IllegalArgumentException("invalid " + name + " '" + value + "': expected an ISO-8601 instant such"
                                            + " as 2026-12-01T10:15:30Z or milliseconds since the epoch");
    }
}
