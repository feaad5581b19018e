package io.minitoolstream.benchmarks;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Progress lines on stderr, so stdout stays free for results a parent process parses. */
final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Log() {
    }

    static void info(String format, Object... args) {
        System.err.println(LocalTime.now().format(TIME) + " " + String.format(format, args));
    }
}
