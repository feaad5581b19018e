package io.minitoolstream.camel;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Unreachable or misconfigured stores: one clear warning per state change, no stack trace per poll. */
class OutagesTest extends ComponentTestSupport {

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Logger root;

    @BeforeEach
    void captureLogs() {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        captured.setContext(logging);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void stopCapturing() {
        root.detachAppender(captured);
    }

    private List<ILoggingEvent> warnings() {
        return snapshot(captured.list).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    }

    @Test
    void aConsumerThatCannotReachTarantoolSaysSoOnceWithoutAStackTraceAndBacksOff() throws Exception {
        PollCounter polls = PollCounter.boundIn(context, "polls");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("durable=down&addresses=127.0.0.1:1&connectTimeout=200&requestTimeout=300&delay=50"
                         + "&pollStrategy=#polls")).to("log:never");
            }
        });
        Thread.sleep(4_000);

        List<ILoggingEvent> warnings = warnings();
        assertThat(warnings).as("no stack traces").allMatch(e -> e.getThrowableProxy() == null);
        // the driver itself says "Connection failed" once per connection attempt; the backoff keeps those few
        List<ILoggingEvent> ours = warnings.stream().filter(e -> !e.getLoggerName().startsWith("io.tarantool")).toList();
        assertThat(ours).as("the component's warnings in 4 s of outage: " + ours).hasSize(1);
        assertThat(warnings.size()).as("all warnings in 4 s of outage").isLessThan(20);
        ILoggingEvent warning = ours.get(0);
        assertThat(warning.getFormattedMessage()).contains("127.0.0.1:1").contains("as user '")
                .doesNotContain(services.tarantool().password());
        assertThat(warning.getThrowableProxy()).as("no stack trace").isNull();
        assertThat(polls.attempts()).as("polls attempted in 4 s at a 50 ms delay: the consumer backs off")
                .isLessThan(30);
    }

    @Test
    void aWrongObjectStoreKeyIsReportedAtStartNotAtTheFirstLargePayload() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:never").to(uri("secretKey=Wr0ngS3cretKey&bucket=mts-outage-check"));
            }
        });
        await("the object storage warning", 15_000, () -> warnings().stream()
                .anyMatch(e -> e.getFormattedMessage().contains("Object storage at " + services.s3().endpoint())));
        ILoggingEvent warning = warnings().stream()
                .filter(e -> e.getFormattedMessage().contains("Object storage at")).findFirst().orElseThrow();
        assertThat(warning.getFormattedMessage()).contains("mts-outage-check").doesNotContain("Wr0ngS3cretKey");
    }
}
