package io.minitoolstream.examples;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/**
 * Every log event of this JVM while open, as the text an appender would write (logger, message with its arguments,
 * stack trace). Logging is configured by the application's own logback.xml (what ships, not logback-test.xml) with
 * the given loggers raised to DEBUG; on close the test configuration is loaded again.
 */
final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final List<String> lines = new ArrayList<>();

    private CapturedLogs() {
    }

    static CapturedLogs applicationConfigurationWithDebug(String... loggerNames) throws JoranException {
        CapturedLogs captured = new CapturedLogs();
        URL applicationConfiguration = CapturedLogs.class.getResource("/logback.xml");
        if (applicationConfiguration == null) {
            throw new IllegalStateException("the application's logback.xml is not on the class path");
        }
        captured.loggers.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(captured.loggers);
        configurator.doConfigure(applicationConfiguration);
        for (String name : loggerNames) {
            captured.loggers.getLogger(name).setLevel(Level.DEBUG);
        }
        captured.setContext(captured.loggers);
        captured.setName("captured-logs");
        captured.start();
        captured.loggers.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(captured);
        return captured;
    }

    @Override
    protected void append(ILoggingEvent event) {
        // AppenderBase.doAppend is synchronized: one event at a time.
        StringBuilder line = new StringBuilder().append(event.getLevel()).append(' ').append(event.getLoggerName())
                .append(" - ").append(event.getFormattedMessage());
        if (event.getThrowableProxy() != null) {
            line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        lines.add(line.toString());
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() throws JoranException {
        stop();
        loggers.reset();
        new ContextInitializer(loggers).autoConfig();
    }
}
