/**
 * Optional integration with Camel's tracing: {@link io.minitoolstream.camel.tracing.MiniToolStreamSpanDecorator}
 * makes {@code minitoolstream} endpoints messaging spans (producer and consumer kind, subject and sequence tags)
 * for camel-opentelemetry and the other camel-tracing based tracers. Loaded through {@code META-INF/services} only
 * when camel-tracing is on the class path. The trace context itself travels in the stored headers
 * ({@code traceparent}, {@code tracestate}, {@code baggage}), with or without this class.
 */
package io.minitoolstream.camel.tracing;
