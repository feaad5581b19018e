package io.minitoolstream.examples.grpc;

import io.minitoolstream.camel.MiniToolStreamConstants;
import io.minitoolstream.camel.MiniToolStreamOperations;
import io.minitoolstream.examples.Keys;
import io.minitoolstream.grpc.AckRequest;
import io.minitoolstream.grpc.AckResponse;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * Maps {@code EgressService/AckMessage} to the component's {@code ack} operation: the durable's position moves to
 * the sequence (cumulative: everything up to it is acknowledged) and never back. Acknowledging a sequence the
 * durable is already at or past succeeds without moving anything; a sequence that is not one of the subject's
 * fails ({@code success=false}, error_message from Tarantool).
 */
public class AckMapping {

    public void toAck(Exchange exchange) throws InvalidPayloadException {
        AckRequest request = exchange.getIn().getMandatoryBody(AckRequest.class);
        String durable = Requests.durable(request.getDurableName());
        String subjectPath = SubjectPaths.of(request.getSubject());
        long sequence = Requests.sequence(request.getSequence());
        exchange.setProperty(Keys.SUBJECT_PATH, subjectPath);
        exchange.getIn().setHeader(MiniToolStreamConstants.OPERATION, MiniToolStreamOperations.ack);
        exchange.getIn().setHeader(MiniToolStreamConstants.DURABLE, durable);
        exchange.getIn().setHeader(MiniToolStreamConstants.SEQUENCE, sequence);
    }

    public void reply(Exchange exchange) {
        ResponseStreams.reply(exchange, AckResponse.newBuilder().setSuccess(true).build());
    }
}
