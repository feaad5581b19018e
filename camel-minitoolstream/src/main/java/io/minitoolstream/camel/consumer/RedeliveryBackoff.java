package io.minitoolstream.camel.consumer;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.util.TimeUtils;

/**
 * How long a failed message waits before its next delivery: the n-th redelivery waits the n-th value of the
 * {@code redeliveryBackoff} option ({@code 1s,5s,30s}), the last value repeats; none means at once.
 */
public final class RedeliveryBackoff {

    private static final RedeliveryBackoff NONE = new RedeliveryBackoff(List.of());

    private final List<Long> millis;

    private RedeliveryBackoff(List<Long> millis) {
        this.millis = List.copyOf(millis);
    }

    /**
     * Parses the option: comma-separated durations ({@code 500ms}, {@code 5s}, {@code 1m}, or milliseconds).
     *
     * @throws IllegalArgumentException naming the option value and the bad entry
     */
    public static RedeliveryBackoff parse(String option) {
        if (option == null || option.isBlank()) {
            return NONE;
        }
        List<Long> parsed = new ArrayList<>();
        for (String part : option.split(",")) {
            String entry = part.trim();
            long value;
            try {
                value = TimeUtils.toMilliSeconds(entry);
            } catch (RuntimeException e) {
                value = -1;
            }
            if (entry.isEmpty() || value < 0) {
                throw new IllegalArgumentException("invalid redeliveryBackoff '" + option + "': '" + entry
                                                   + "' is not a duration such as 500ms, 5s or 1m");
            }
            parsed.add(value);
        }
        return new RedeliveryBackoff(parsed);
    }

    /** The wait before delivering again a message whose {@code deliveries}-th delivery just failed. */
    public long afterDelivery(int deliveries) {
        if (millis.isEmpty() || deliveries < 1) {
            return 0;
        }
        return millis.get(Math.min(deliveries, millis.size()) - 1);
    }

    /** The same in seconds, as Tarantool takes it. */
    public double secondsAfterDelivery(int deliveries) {
        return afterDelivery(deliveries) / 1000.0;
    }
}
