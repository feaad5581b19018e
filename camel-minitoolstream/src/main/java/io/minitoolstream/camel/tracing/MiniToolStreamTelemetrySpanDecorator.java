package io.minitoolstream.camel.tracing;

import io.minitoolstream.camel.MiniToolStreamComponent;
import org.apache.camel.Exchange;
import org.apache.camel.telemetry.Span;
import org.apache.camel.telemetry.TagConstants;
import org.apache.camel.telemetry.decorators.AbstractMessagingSpanDecorator;

/**
 * The same messaging shape as {@link MiniToolStreamSpanDecorator} for the camel-telemetry based tracers
 * (camel-opentelemetry2): spans named after the subject, tagged with the subject and, once known, the sequence.
 * camel-telemetry has no span kinds. Registered in {@code META-INF/services/org.apache.camel.telemetry.SpanDecorator},
 * which only camel-telemetry reads.
 */
public class MiniToolStreamTelemetrySpanDecorator extends AbstractMessagingSpanDecorator {

    @Override
    public String getComponent() {
        return "minitoolstream";
    }

    @Override
    public String getComponentClassName() {
        return MiniToolStreamComponent.class.getName();
    }

    /** Tags the sequence once the span ends (see {@link SequenceTag}). */
    @Override
    public void afterTracingEvent(Span span, Exchange exchange) {
        super.afterTracingEvent(span, exchange);
        String sequence = SequenceTag.of(exchange);
        if (sequence != null) {
            span.setTag(TagConstants.MESSAGE_ID, sequence);
        }
    }
}
