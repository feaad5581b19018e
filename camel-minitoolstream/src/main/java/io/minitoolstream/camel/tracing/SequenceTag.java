package io.minitoolstream.camel.tracing;

import io.minitoolstream.camel.MiniToolStreamConstants;
import org.apache.camel.Exchange;

/**
 * The message id both decorators put on a span: the record's sequence. It is known only after a publish (the
 * producer sets the header then) and is already set on a consumed exchange, so it is read when the span ends, not
 * when it starts, where an exchange that was consumed and is now published elsewhere would still carry the old one.
 */
final class SequenceTag {

    private SequenceTag() {
    }

    /** The sequence as text; null for a failed exchange or one without a sequence. */
    static String of(Exchange exchange) {
        if (exchange.isFailed()) {
            return null;
        }
        Object sequence = exchange.getIn().getHeader(MiniToolStreamConstants.SEQUENCE);
        return sequence == null ? null : sequence.toString();
    }
}
