package io.minitoolstream.examples.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Carries the request header (gRPC metadata) {@code message-id} to the route. camel-grpc 4.17 copies only the user
 * agent and content type from the metadata into Camel headers, so this interceptor puts the id into the call's
 * gRPC {@link Context}, which is current while the call's messages are processed: {@link PublishMapping} reads it
 * there. The proto has no field for it, so clients that predate it are unaffected.
 */
public final class MessageIdInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> MESSAGE_ID = Metadata.Key.of("message-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> CURRENT = Context.key("minitoolstream-message-id");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String messageId = headers.get(MESSAGE_ID);
        if (messageId == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(CURRENT, messageId), call, headers, next);
    }

    /** The current call's {@code message-id}, or null. */
    static String current() {
        return CURRENT.get();
    }
}
