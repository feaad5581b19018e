/**
 * Optional integration with Camel's tracing: span decorators that make {@code minitoolstream} endpoints messaging
 * spans (named after the subject, tagged with the subject and sequence), {@link
 * io.minitoolstream.camel.tracing.MiniToolStreamSpanDecorator} for camel-tracing (camel-opentelemetry; PRODUCER and
 * CONSUMER kinds) and {@link io.minitoolstream.camel.tracing.MiniToolStreamTelemetrySpanDecorator} for
 * camel-telemetry (camel-opentelemetry2). Each is loaded through {@code META-INF/services} only when its tracing
 * module is on the class path. The trace context itself travels in the stored headers ({@code traceparent},
 * {@code tracestate}, {@code baggage}), with or without these classes.
 */
package io.minitoolstream.camel.tracing;
