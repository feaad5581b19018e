package io.minitoolstream.camel.tracing;

import io.minitoolstream.camel.MiniToolStreamComponent;
import io.minitoolstream.camel.MiniToolStreamConstants;
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

    /** Tagged after the publish or on the consumed exchange, for the reason given in the other decorator. */
    @Override
    public void afterTracingEvent(Span span, Exchange exchange) {
        super.afterTracingEvent(span, exchange);
        if (!exchange.isFailed()) {
            Object sequence = exchange.getIn().getHeader(MiniToolStreamConstants.SEQUENCE);
            if (sequence != null) {
                span.setTag(TagConstants.MESSAGE_ID, sequence.toString());
            }
        }
    }
}
