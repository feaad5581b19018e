package io.minitoolstream.camel;

import java.util.Set;

import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * Keeps Camel's own headers out of stored messages and off consumed exchanges' stored-header set. The W3C trace
 * context ({@code traceparent}, {@code tracestate}, {@code baggage}) is stored, so that a consumer's span continues
 * the publisher's trace; the tracer's {@code CAMEL_TRACE_ID} and {@code CAMEL_SPAN_ID} (camel-telemetry's
 * {@code traceHeadersInclusion}) name the current span of one application and are not.
 */
public class MiniToolStreamHeaderFilterStrategy extends DefaultHeaderFilterStrategy {

    static final Set<String> CURRENT_SPAN_HEADERS = Set.of("CAMEL_TRACE_ID", "CAMEL_SPAN_ID");

    public MiniToolStreamHeaderFilterStrategy() {
        setOutFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        setInFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        setOutFilter(CURRENT_SPAN_HEADERS);
        setInFilter(CURRENT_SPAN_HEADERS);
    }
}
