package io.minitoolstream.examples.grpc;

import io.minitoolstream.camel.MiniToolStreamConstants;
import io.minitoolstream.camel.MiniToolStreamOperations;
import io.minitoolstream.examples.Keys;
import io.minitoolstream.grpc.Notification;
import io.minitoolstream.grpc.SubscribeRequest;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * Maps {@code EgressService/Subscribe} to a {@link SubscriptionHub} registration. The stream first notifies when
 * the subject's last sequence is past a baseline:
 * <ul>
 * <li>{@code start_sequence} given: {@code start_sequence - 1} (so a message at or after it is announced);</li>
 * <li>else {@code durable_name} given: the durable's position (so unacknowledged messages are announced at
 * once);</li>
 * <li>else the subject's current last sequence (only new messages are announced).</li>
 * </ul>
 * The route asks the component for the baseline when it is not in the request ({@link #BASELINE} unset).
 */
public class SubscribeMapping {

    /** Exchange property with the baseline when the request carries it. */
    public static final String BASELINE = "minitoolstreamBaseline";
    private static final String SUBJECT = "minitoolstreamSubject";

    private final SubscriptionHub hub;

    public SubscribeMapping(SubscriptionHub hub) {
        this.hub = hub;
    }

    public void toBaselineQuery(Exchange exchange) throws InvalidPayloadException {
        SubscribeRequest request = exchange.getIn().getMandatoryBody(SubscribeRequest.class);
        exchange.setProperty(Keys.SUBJECT_PATH, SubjectPaths.of(request.getSubject()));
        exchange.setProperty(SUBJECT, request.getSubject());
        if (request.hasStartSequence()) {
            long start = request.getStartSequence();
            if (start < 0) {
                throw new IllegalArgumentException("invalid start_sequence " + Long.toUnsignedString(start)
                                                   + ": must be below 2^63");
            }
            exchange.setProperty(BASELINE, Math.max(0, start - 1));
        } else if (!request.getDurableName().isEmpty()) {
            exchange.getIn().setHeader(MiniToolStreamConstants.OPERATION,
                    MiniToolStreamOperations.getConsumerPosition);
            exchange.getIn().setHeader(MiniToolStreamConstants.DURABLE, Requests.durable(request.getDurableName()));
        } else {
            exchange.getIn().setHeader(MiniToolStreamConstants.OPERATION, MiniToolStreamOperations.getLastSequence);
        }
    }

    /** Hands the call to the hub; the exchange ends here, the stream stays open until the client cancels. */
    public void register(Exchange exchange) {
        Long baseline = exchange.getProperty(BASELINE, Long.class);
        if (baseline == null) {
            baseline = exchange.getIn().getBody(Long.class);
        }
        String subject = exchange.getProperty(SUBJECT, String.class);
        hub.subscribe(subject, exchange.getProperty(Keys.SUBJECT_PATH, String.class), baseline,
                ResponseStreams.<Notification>of(exchange));
    }
}
