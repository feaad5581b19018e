package io.minitoolstream.camel.tracing;

import io.minitoolstream.camel.MiniToolStreamComponent;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.tracing.SpanAdapter;
import org.apache.camel.tracing.decorators.AbstractMessagingSpanDecorator;

/**
 * Traces {@code minitoolstream} endpoints as messaging: publishing is a PRODUCER span named after the subject,
 * consuming a CONSUMER span whose parent is extracted from the stored trace headers, both tagged with the
 * subject ({@code messaging.destination.name}) and, once known, the sequence ({@code messaging.message.id}).
 * <p>
 * Without this decorator Camel's default one still injects and extracts the W3C trace context through the
 * exchange headers (as CLIENT and SERVER spans named {@code minitoolstream}); what this class adds is the
 * messaging shape. It is registered in {@code META-INF/services/org.apache.camel.tracing.SpanDecorator}, which
 * only camel-tracing reads.
 */
public class MiniToolStreamSpanDecorator extends AbstractMessagingSpanDecorator {

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
    public void post(SpanAdapter span, Exchange exchange, Endpoint endpoint) {
        super.post(span, exchange, endpoint);
        String sequence = SequenceTag.of(exchange);
        if (sequence != null) {
            span.setTag(org.apache.camel.tracing.TagConstants.MESSAGE_ID, sequence);
        }
    }
}
