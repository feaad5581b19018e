package io.minitoolstream.examples.grpc;

import io.minitoolstream.camel.MiniToolStreamConstants;
import io.minitoolstream.camel.MiniToolStreamMessage;
import io.minitoolstream.camel.MiniToolStreamOperations;
import io.minitoolstream.camel.store.PayloadNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.stub.ServerCallStreamObserver;
import io.minitoolstream.examples.Keys;
import io.minitoolstream.grpc.FetchRequest;
import io.minitoolstream.grpc.Message;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps {@code EgressService/Fetch} to the component's {@code fetch} operation and streams the result. Fetch never
 * moves the durable's position (AckMessage does), so an unacknowledged batch comes back on the next Fetch.
 */
public class FetchMapping {

    /** Header added to a message whose payload object is gone from object storage; its data is empty. */
    public static final String PAYLOAD_MISSING_HEADER = "MiniToolStreamPayloadMissing";

    private static final Logger LOG = LoggerFactory.getLogger(FetchMapping.class);
    private static final String CONTENT_TYPE = "Content-Type";

    private final Duration stallTimeout;

    public FetchMapping(Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
    }

    public void toFetch(Exchange exchange) throws InvalidPayloadException {
        ResponseStreams.rememberCallContext(exchange);
        FetchRequest request = exchange.getIn().getMandatoryBody(FetchRequest.class);
        String subjectPath = SubjectPaths.of(request.getSubject());
        String durable = Requests.durable(request.getDurableName());
        int limit = Requests.batchSize(request.getBatchSize());
        exchange.setProperty(Keys.SUBJECT_PATH, subjectPath);
        exchange.getIn().setHeader(MiniToolStreamConstants.OPERATION, MiniToolStreamOperations.fetch);
        exchange.getIn().setHeader(MiniToolStreamConstants.DURABLE, durable);
        exchange.getIn().setHeader(MiniToolStreamConstants.LIMIT, limit);
    }

    /** Streams the fetched messages in order, one payload in memory at a time, then completes the call. */
    public void reply(Exchange exchange) throws InterruptedException, IOException {
        @SuppressWarnings("unchecked")
        List<MiniToolStreamMessage> messages = exchange.getIn().getBody(List.class);
        ServerCallStreamObserver<Message> observer = ResponseStreams.of(exchange);
        ResponseStreams.ReadyGate gate = new ResponseStreams.ReadyGate(observer,
                ResponseStreams.callContext(exchange));
        for (MiniToolStreamMessage message : messages) {
            if (!gate.awaitReady(stallTimeout)) {
                LOG.debug("Fetch cancelled by the client before sequence {}", message.getSequence());
                return;
            }
            observer.onNext(toGrpc(message));
        }
        observer.onCompleted();
    }

    static Message toGrpc(MiniToolStreamMessage message) throws IOException {
        Instant timestamp = message.getTimestamp();
        Message.Builder grpc = Message.newBuilder()
                .setSubject(message.getSubject())
                .setSequence(message.getSequence())
                .putAllHeaders(message.getHeaders())
                .setTimestamp(Timestamp.newBuilder().setSeconds(timestamp.getEpochSecond())
                        .setNanos(timestamp.getNano()));
        if (message.getContentType() != null && !message.getHeaders().containsKey(CONTENT_TYPE)) {
            grpc.putHeaders(CONTENT_TYPE, message.getContentType());
        }
        try (InputStream payload = message.openPayload()) {
            grpc.setData(ByteString.readFrom(payload));
        } catch (PayloadNotFoundException e) {
            LOG.warn("Message {} of subject {}: payload {} is missing; sent without data", message.getSequence(),
                    message.getSubject(), message.getObjectName());
            grpc.putHeaders(PAYLOAD_MISSING_HEADER, String.valueOf(e.getMessage()));
        }
        return grpc.build();
    }
}
