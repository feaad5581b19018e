package io.minitoolstream.devservices;

import java.lang.reflect.Method;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises S3Proxy, Jetty and jclouds loggers to WARN when they would otherwise log at DEBUG
 * (Logback's default with no configuration), so a test run is not buried under request dumps.
 *
 * <p>Only Logback is handled, by reflection so it stays an optional dependency, and only loggers
 * with no level of their own are touched: an explicit level in the user's logback.xml wins.
 */
final class QuietLogging {

    static final List<String> NOISY = List.of("org.gaul", "org.eclipse.jetty", "org.jclouds", "jclouds");

    private QuietLogging() {
    }

    static void apply() {
        for (String name : NOISY) {
            quiet(LoggerFactory.getLogger(name));
        }
    }

    private static void quiet(Logger logger) {
        Class<?> type = logger.getClass();
        if (!"ch.qos.logback.classic.Logger".equals(type.getName())) {
            return;
        }
        try {
            Class<?> levelType = Class.forName("ch.qos.logback.classic.Level", true, type.getClassLoader());
            Method getLevel = type.getMethod("getLevel");
            if (getLevel.invoke(logger) == null) {
                type.getMethod("setLevel", levelType).invoke(logger, levelType.getField("WARN").get(null));
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            // A different Logback generation: leave logging as configured.
        }
    }
}
