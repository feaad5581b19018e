package io.minitoolstream.benchmarks;

import java.time.Duration;

/** A warm-up window, then {@code runs} measured windows of {@code window} each. */
record Timing(Duration warmup, int runs, Duration window) {

    Timing {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1");
        }
    }

    Timing withRuns(int count) {
        return new Timing(warmup, count, window);
    }

    double windowSeconds() {
        return window.toNanos() / 1e9;
    }
}
