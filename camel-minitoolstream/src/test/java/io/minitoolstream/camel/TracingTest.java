package io.minitoolstream.camel;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.opentelemetry.OpenTelemetryTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One trace spans publish, storage and consume: a publishing application and a consuming one (two CamelContexts
 * that share nothing but Tarantool and S3), both traced by camel-opentelemetry (or camel-opentelemetry2) into one
 * in-memory exporter. The
 * consumer's span must continue the trace the producer's span started, its parent being the producer span, for an
 * inline payload and one in object storage.
 */
class TracingTest extends ComponentTestSupport {

    private static final int THRESHOLD = 1024;

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private SdkTracerProvider tracerProvider;
    private OpenTelemetry openTelemetry;

    @BeforeEach
    void openTelemetry() {
        // camel-opentelemetry2 (4.17) opens the scope of a send span on the calling thread and closes it where the
        // exchange completes: after an asynchronous producer such as this one, the producer span stays current on
        // the calling thread. Start every test from the root context, or camel-opentelemetry's spans here would
        // descend from a span of the previous test (the scope is deliberately not closed).
        @SuppressWarnings({ "resource", "unused" })
        Scope root = Context.root().makeCurrent();
        tracerProvider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        // not registered globally: each context's tracer is given it explicitly
        openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    }

    @AfterEach
    void closeOpenTelemetry() {
        tracerProvider.close();
        // and leave no span current for the test classes that run next on this thread
        @SuppressWarnings({ "resource", "unused" })
        Scope root = Context.root().makeCurrent();
    }

    @Test
    void inlinePayloadContinuesTheTrace() throws Exception {
        assertOneTrace(Flavour.OPENTELEMETRY, new byte[THRESHOLD], false);
    }

    @Test
    void objectStoragePayloadContinuesTheTrace() throws Exception {
        assertOneTrace(Flavour.OPENTELEMETRY, new byte[THRESHOLD + 1], true);
    }

    @Test
    void opentelemetry2InlinePayloadContinuesTheTrace() throws Exception {
        assertOneTrace(Flavour.OPENTELEMETRY2, new byte[THRESHOLD], false);
    }

    @Test
    void opentelemetry2ObjectStoragePayloadContinuesTheTrace() throws Exception {
        assertOneTrace(Flavour.OPENTELEMETRY2, new byte[THRESHOLD + 1], true);
    }

    /**
     * camel-opentelemetry (camel-tracing) gives messaging spans PRODUCER and CONSUMER kinds; camel-opentelemetry2
     * (camel-telemetry) has no kinds and tags its event spans {@code op=EVENT_SENT} / {@code EVENT_RECEIVED}.
     */
    private enum Flavour {
        OPENTELEMETRY(s -> s.getKind() == SpanKind.PRODUCER, s -> s.getKind() == SpanKind.CONSUMER),
        OPENTELEMETRY2(s -> "EVENT_SENT".equals(s.getAttributes().get(AttributeKey.stringKey("op"))),
                s -> "EVENT_RECEIVED".equals(s.getAttributes().get(AttributeKey.stringKey("op"))));

        final Predicate<SpanData> producer;
        final Predicate<SpanData> consumer;

        Flavour(Predicate<SpanData> producer, Predicate<SpanData> consumer) {
            this.producer = producer;
            this.consumer = consumer;
        }
    }

    private void assertOneTrace(Flavour flavour, byte[] body, boolean inObjectStorage) throws Exception {
        List<Delivery> deliveries = syncList();
        newContext(tracing(flavour, false), new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("durable=traced")).routeId("consumer").process(exchange -> deliveries.add(record(exchange)));
            }
        });
        // camel-opentelemetry2's publisher also sets CAMEL_TRACE_ID/CAMEL_SPAN_ID, which must not be stored
        CamelContext publisher = newContext(tracing(flavour, true), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").routeId("publisher").to(uri("inlineThreshold=" + THRESHOLD));
            }
        });

        Exchange published = publisher.createProducerTemplate().request("direct:in",
                exchange -> exchange.getIn().setBody(body));
        assertThat(published.getException()).isNull();
        if (flavour == Flavour.OPENTELEMETRY2) {
            assertThat(published.getMessage().getHeaders()).containsKeys("CAMEL_TRACE_ID", "CAMEL_SPAN_ID");
        }
        await("the delivery", 10_000, () -> deliveries.size() == 1);
        try {
            await("the consumer span", 10_000, () -> span(flavour.consumer).isPresent());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; finished spans: " + exporter.getFinishedSpanItems().stream()
                    .map(s -> s.getKind() + " " + s.getName() + " " + s.getAttributes()).toList(), e);
        }

        Delivery delivery = deliveries.get(0);
        assertThat(delivery.objectName() != null).as("payload in object storage").isEqualTo(inObjectStorage);
        SpanData producer = span(flavour.producer).orElseThrow(() -> new AssertionError("no producer span: "
                                                                                         + exporter.getFinishedSpanItems()));
        SpanData consumer = span(flavour.consumer).orElseThrow();

        // one trace: publish -> (Tarantool, S3) -> consume
        assertThat(consumer.getTraceId()).isEqualTo(producer.getTraceId());
        assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
        // the stored trace context is restored on the consumed exchange: the producer span's as stored
        // (camel-opentelemetry), or the consumer span's, which camel-opentelemetry2 injects over it on receipt
        SpanData inHeader = flavour == Flavour.OPENTELEMETRY ? producer : consumer;
        assertThat(delivery.headers()).containsEntry("traceparent",
                "00-" + inHeader.getTraceId() + "-" + inHeader.getSpanId() + "-01");
        // the publisher's current-span headers are not stored (camel-opentelemetry2 publisher only sets them)
        assertThat(delivery.headers()).doesNotContainKeys("CAMEL_TRACE_ID", "CAMEL_SPAN_ID");
        // the producer span itself is a child of the publishing route's span, not a trace of its own
        SpanData publishingRoute = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(producer.getParentSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError("the producer span's parent was not exported"));
        assertThat(publishingRoute.getAttributes().get(AttributeKey.stringKey("camel.uri"))).isEqualTo("direct://in");

        // the decorator's messaging shape: named after the subject, tagged with subject and sequence
        for (SpanData span : List.of(producer, consumer)) {
            assertThat(span.getName()).isEqualTo(subject);
            assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
                    .isEqualTo(subject);
            assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.message.id")))
                    .isEqualTo(Long.toString(delivery.sequence()));
        }
    }

    private Consumer<CamelContext> tracing(Flavour flavour, boolean publisher) {
        return flavour == Flavour.OPENTELEMETRY ? this::traced : camel -> traced2(camel, publisher);
    }

    private void traced(CamelContext camel) {
        OpenTelemetryTracer tracer = new OpenTelemetryTracer();
        tracer.setTracer(openTelemetry.getTracer("minitoolstream-test"));
        tracer.setContextPropagators(openTelemetry.getPropagators());
        tracer.init(camel);
    }

    private void traced2(CamelContext camel, boolean traceHeadersInclusion) {
        // camel-opentelemetry2 takes the tracer and propagators from the registry (or GlobalOpenTelemetry)
        camel.getRegistry().bind("openTelemetryTracer", openTelemetry.getTracer("minitoolstream-test"));
        camel.getRegistry().bind("openTelemetryPropagators", openTelemetry.getPropagators());
        org.apache.camel.opentelemetry2.OpenTelemetryTracer tracer = new org.apache.camel.opentelemetry2.OpenTelemetryTracer();
        tracer.setTraceHeadersInclusion(traceHeadersInclusion);
        tracer.init(camel);
    }

    /** The one finished span for this test's subject that {@code which} selects. */
    private Optional<SpanData> span(Predicate<SpanData> which) {
        List<SpanData> matching = exporter.getFinishedSpanItems().stream()
                .filter(s -> which.test(s) && subject.equals(s.getName())).toList();
        assertThat(matching).as("matching spans").hasSizeLessThanOrEqualTo(1);
        return matching.stream().findFirst();
    }

}
