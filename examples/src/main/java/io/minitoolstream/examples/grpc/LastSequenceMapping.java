package io.minitoolstream.examples.grpc;

import io.minitoolstream.examples.Keys;
import io.minitoolstream.grpc.GetLastSequenceRequest;
import io.minitoolstream.grpc.GetLastSequenceResponse;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * Maps {@code EgressService/GetLastSequence} to the {@code direct:last-sequence} route (the component's
 * getLastSequence operation). A subject that has no messages answers 0.
 */
public class LastSequenceMapping {

    public void toQuery(Exchange exchange) throws InvalidPayloadException {
        GetLastSequenceRequest request = exchange.getIn().getMandatoryBody(GetLastSequenceRequest.class);
        exchange.setProperty(Keys.SUBJECT_PATH, SubjectPaths.of(request.getSubject()));
    }

    public void reply(Exchange exchange) {
        long last = exchange.getIn().getBody(Long.class);
        ResponseStreams.reply(exchange, GetLastSequenceResponse.newBuilder().setLastSequence(last).build());
    }
}
