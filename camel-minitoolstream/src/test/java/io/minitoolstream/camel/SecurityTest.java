package io.minitoolstream.camel;

import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Credentials are checked by Tarantool and never show up in what the component logs or throws. */
class SecurityTest extends ComponentTestSupport {

    @Test
    void aWrongPasswordAndGuestAreRefusedWithoutEchoingTheCredentials() {
        Exchange wrong = template.request(uri("password=Wr0ngPassw0rd&inlineThreshold=0"), e -> e.getIn().setBody("x"));
        assertThat(wrong.getException()).isNotNull();
        assertThat(stackTraceOf(wrong.getException())).doesNotContain("Wr0ngPassw0rd")
                .containsIgnoringCase("password");

        MiniToolStreamComponent guest = configuredComponent();
        guest.getConfiguration().setUsername(null);
        guest.getConfiguration().setPassword(null);
        context.addComponent("mtsguest", guest);
        Exchange asGuest = template.request("mtsguest:" + subject, e -> e.getIn().setBody("x"));
        assertThat(asGuest.getException()).isNotNull().hasMessageContaining("as guest");
        assertThat(template.requestBody(uri("operation=getLastSequence"), null, Long.class)).isZero();
    }

    @Test
    void noSecretAppearsInAnyLogLineOfAFullRunEvenAtDebug() throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Map<Logger, Level> levels = new java.util.HashMap<>();
        for (Logger logger : logging.getLoggerList()) {
            if (logger.getLevel() != null) {
                levels.put(logger, logger.getLevel());
                logger.setLevel(Level.DEBUG);
            }
        }
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.setContext(logging);
        captured.start();
        root.addAppender(captured);
        try {
            publish(uri("inlineThreshold=0"), "to s3".getBytes(), Map.of());
            publish("inline".getBytes(), Map.of());
            template.request(uri("password=An0therWr0ngOne"), e -> e.getIn().setBody("x"));
            template.request(uri("secretKey=Wr0ngS3cretKey&inlineThreshold=0"), e -> e.getIn().setBody("x"));
            List<Delivery> deliveries = syncList();
            context.addRoutes(recordingRoute(uri("durable=sec&password=" + services.tarantool().password()
                                                 + "&secretKey=" + services.s3().secretKey()), deliveries));
            await("both messages", 10_000, () -> deliveries.size() == 2);
            context.stop();
        } finally {
            levels.forEach(Logger::setLevel);
            root.detachAppender(captured);
        }
        List<String> secrets = List.of(services.tarantool().password(), services.s3().secretKey(), "An0therWr0ngOne",
                "Wr0ngS3cretKey");
        assertThat(captured.list).hasSizeGreaterThan(50);
        for (ILoggingEvent event : List.copyOf(captured.list)) {
            String text = event.getFormattedMessage()
                          + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            for (String secret : secrets) {
                assertThat(text).as("log line of %s", event.getLoggerName()).doesNotContain(secret);
            }
        }
    }

    private static String stackTraceOf(Throwable t) {
        java.io.StringWriter out = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
