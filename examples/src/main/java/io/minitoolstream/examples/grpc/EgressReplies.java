package io.minitoolstream.examples.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.minitoolstream.grpc.AckResponse;
import org.apache.camel.Exchange;
import org.apache.camel.component.grpc.GrpcConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers an egress call that failed (the routes' doCatch). AckMessage answers in its response
 * ({@code success=false}, {@code error_message}); the other methods end the call with the gRPC status that
 * {@link Failures} chooses. A call that was already closed (the client went away) is left alone.
 */
public class EgressReplies {

    private static final Logger LOG = LoggerFactory.getLogger(EgressReplies.class);
    static final String ACK_METHOD = "ackMessage";

    public void fail(Exchange exchange) {
        Throwable failure = Failures.caught(exchange);
        Status status = Failures.status(failure);
        String method = exchange.getIn().getHeader(GrpcConstants.GRPC_METHOD_NAME_HEADER, String.class);
        if (status.getCode() == Status.Code.INVALID_ARGUMENT) {
            LOG.debug("{} rejected: {}", method, status.getDescription());
        } else {
            LOG.warn("{} failed: {}", method, status.getDescription(), failure);
        }
        ServerCallStreamObserver<Object> observer = ResponseStreams.of(exchange);
        try {
            if (ACK_METHOD.equals(method)) {
                observer.onNext(AckResponse.newBuilder().setSuccess(false)
                        .setErrorMessage(String.valueOf(status.getDescription())).build());
                observer.onCompleted();
            } else {
                observer.onError(status.asRuntimeException());
            }
        } catch (RuntimeException e) {
            LOG.debug("Could not report the failure of {} to the client: {}", method, e.toString());
        }
    }

    /** For a method this application does not serve. */
    public void unimplemented(Exchange exchange) {
        String method = exchange.getIn().getHeader(GrpcConstants.GRPC_METHOD_NAME_HEADER, String.class);
        ResponseStreams.of(exchange).onError(Status.UNIMPLEMENTED
                .withDescription("method " + method + " is not served").asRuntimeException());
    }
}
