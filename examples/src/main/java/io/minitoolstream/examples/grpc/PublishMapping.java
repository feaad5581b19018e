package io.minitoolstream.examples.grpc;

import io.minitoolstream.camel.MiniToolStreamConstants;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.grpc.Status;
import io.minitoolstream.examples.Keys;
import io.minitoolstream.grpc.PublishRequest;
import io.minitoolstream.grpc.PublishResponse;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps {@code IngressService/Publish} to a {@code minitoolstream:} publish and back. Every outcome is a
 * {@link PublishResponse}: {@code status_code} 0 with the sequence, or a gRPC status code number
 * ({@link Failures}) with {@code error_message}, as the original service answered.
 */
public class PublishMapping {

    private static final Logger LOG = LoggerFactory.getLogger(PublishMapping.class);

    /**
     * Body becomes the request's data, headers exactly the request's headers (the gRPC consumer's own headers
     * are dropped so they are not stored), and the subject goes to {@link Keys#SUBJECT_PATH}. A {@code message-id}
     * request header (metadata) becomes {@link MiniToolStreamConstants#MESSAGE_ID}, so a retried Publish returns
     * the original sequence instead of storing the message again.
     */
    public void toPublish(Exchange exchange) throws InvalidPayloadException {
        PublishRequest request = exchange.getIn().getMandatoryBody(PublishRequest.class);
        String subjectPath = SubjectPaths.of(request.getSubject());
        Map<String, String> headers = checkedHeaders(request.getHeadersMap());
        Message in = exchange.getIn();
        in.removeHeaders("*");
        headers.forEach(in::setHeader);
        String messageId = MessageIdInterceptor.current();
        if (messageId != null) {
            in.setHeader(MiniToolStreamConstants.MESSAGE_ID, messageId);
        }
        in.setBody(request.getData().toByteArray());
        exchange.setProperty(Keys.SUBJECT_PATH, subjectPath);
    }

    /** The answer after a successful publish. */
    public PublishResponse toResponse(Exchange exchange) {
        Message in = exchange.getIn();
        String objectName = in.getHeader(MiniToolStreamConstants.OBJECT_NAME, String.class);
        return PublishResponse.newBuilder()
                .setSequence(in.getHeader(MiniToolStreamConstants.SEQUENCE, Long.class))
                .setObjectName(objectName == null ? "" : objectName)
                .setStatusCode(0)
                .build();
    }

    /** The answer after a failure: non-zero status code and the reason. */
    public PublishResponse toFailure(Exchange exchange) {
        Throwable failure = Failures.caught(exchange);
        Status status = Failures.status(failure);
        if (status.getCode() == Status.Code.INVALID_ARGUMENT) {
            LOG.debug("Publish rejected: {}", status.getDescription());
        } else {
            LOG.warn("Publish failed: {}", status.getDescription(), failure);
        }
        return PublishResponse.newBuilder()
                .setStatusCode(status.getCode().value())
                .setErrorMessage(String.valueOf(status.getDescription()))
                .build();
    }

    /**
     * Header names must be non-empty, must not start with Camel (those would steer the route and are never
     * stored) and must stay distinct ignoring case (Camel's header map is case-insensitive).
     */
    static Map<String, String> checkedHeaders(Map<String, String> headers) {
        Map<String, String> seen = new HashMap<>();
        for (String name : headers.keySet()) {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("invalid header name '': must not be empty");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("camel") || lower.startsWith("org.apache.camel")) {
                throw new IllegalArgumentException("invalid header name '" + name
                                                   + "': names starting with Camel are reserved");
            }
            String other = seen.put(lower, name);
            if (other != null) {
                throw new IllegalArgumentException("invalid header name '" + name + "': differs from '" + other
                                                   + "' only in case");
            }
        }
        return headers;
    }
}
