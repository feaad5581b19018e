package io.minitoolstream.camel;

import java.util.List;
import java.util.Optional;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
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
 * that share nothing but Tarantool and S3), both traced by camel-opentelemetry into one in-memory exporter. The
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
        tracerProvider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        // not registered globally: each context's tracer is given it explicitly
        openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    }

    @AfterEach
    void closeOpenTelemetry() {
        tracerProvider.close();
    }

    @Test
    void inlinePayloadContinuesTheTrace() throws Exception {
        assertOneTrace(new byte[THRESHOLD], false);
    }

    @Test
    void objectStoragePayloadContinuesTheTrace() throws Exception {
        assertOneTrace(new byte[THRESHOLD + 1], true);
    }

    private void assertOneTrace(byte[] body, boolean inObjectStorage) throws Exception {
        List<Delivery> deliveries = syncList();
        newContext(this::traced, new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("durable=traced")).routeId("consumer").process(exchange -> deliveries.add(record(exchange)));
            }
        });
        CamelContext publisher = newContext(this::traced, new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").routeId("publisher").to(uri("inlineThreshold=" + THRESHOLD));
            }
        });

        Exchange published = publisher.createProducerTemplate().request("direct:in",
                exchange -> exchange.getIn().setBody(body));
        assertThat(published.getException()).isNull();
        await("the delivery", 10_000, () -> deliveries.size() == 1);
        try {
            await("the consumer span", 10_000, () -> span(SpanKind.CONSUMER).isPresent());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; finished spans: " + exporter.getFinishedSpanItems().stream()
                    .map(s -> s.getKind() + " " + s.getName()).toList(), e);
        }

        Delivery delivery = deliveries.get(0);
        assertThat(delivery.objectName() != null).as("payload in object storage").isEqualTo(inObjectStorage);
        SpanData producer = span(SpanKind.PRODUCER).orElseThrow(() -> new AssertionError("no producer span: "
                                                                                         + exporter.getFinishedSpanItems()));
        SpanData consumer = span(SpanKind.CONSUMER).orElseThrow();

        // one trace: publish -> (Tarantool, S3) -> consume
        assertThat(consumer.getTraceId()).isEqualTo(producer.getTraceId());
        assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
        // the stored trace context is the producer span's, restored on the consumed exchange
        assertThat(delivery.headers()).containsEntry("traceparent",
                "00-" + producer.getTraceId() + "-" + producer.getSpanId() + "-01");
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

    private void traced(CamelContext camel) {
        OpenTelemetryTracer tracer = new OpenTelemetryTracer();
        tracer.setTracer(openTelemetry.getTracer("minitoolstream-test"));
        tracer.setContextPropagators(openTelemetry.getPropagators());
        tracer.init(camel);
    }

    /** The one finished span of that kind for this test's subject. */
    private Optional<SpanData> span(SpanKind kind) {
        List<SpanData> matching = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == kind && subject.equals(s.getName())).toList();
        assertThat(matching).as(kind + " spans").hasSizeLessThanOrEqualTo(1);
        return matching.stream().findFirst();
    }

}
