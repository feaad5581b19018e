package io.minitoolstream.examples.grpc.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every call with the bearer token in its {@code authorization} metadata and authorizes it against
 * the subject of its request message.
 * <ul>
 * <li>No token, several, or one that {@link TokenVerifier} rejects: the call ends with {@code UNAUTHENTICATED}
 * before any request message is read.</li>
 * <li>A valid token: the service is not started until the first request message arrived and the token's grant
 * allows its subject ({@link RpcAccessRules}); otherwise the call ends with {@code PERMISSION_DENIED} and the
 * route never sees it. Every RPC of this application sends exactly one request message (unary or
 * server-streaming), so checking the first one checks them all.</li>
 * </ul>
 * Status descriptions and log lines name the client, method and subject, never the token.
 */
public final class AuthInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "bearer ";
    private static final Logger LOG = LoggerFactory.getLogger(AuthInterceptor.class);

    private final TokenVerifier verifier;
    private final RpcAccessRules rules;

    public AuthInterceptor(TokenVerifier verifier, RpcAccessRules rules) {
        this.verifier = verifier;
        this.rules = rules;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Optional<RpcAccessRules.Rule> rule = rules.forMethod(method);
        if (rule.isEmpty()) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription("method " + method + " has no access rule"));
        }
        Grant grant;
        try {
            grant = verifier.verify(bearerToken(headers));
        } catch (TokenRejectedException e) {
            LOG.debug("{} from {} unauthenticated: {}", method, peer(call), e.getMessage());
            return refuse(call, Status.UNAUTHENTICATED.withDescription(e.getMessage()));
        }
        // The service reads nothing until it is started, so ask for the first request message here.
        headers.removeAll(AUTHORIZATION);
        call.request(1);
        return new AuthorizeFirstMessage<>(call, headers, next, rule.get(), grant);
    }

    private static String bearerToken(Metadata headers) throws TokenRejectedException {
        Iterable<String> values = headers.getAll(AUTHORIZATION);
        List<String> all = new ArrayList<>();
        if (values != null) {
            values.forEach(all::add);
        }
        if (all.isEmpty()) {
            throw new TokenRejectedException("missing bearer token: send metadata 'authorization: Bearer <jwt>'");
        }
        if (all.size() > 1) {
            throw new TokenRejectedException("more than one 'authorization' metadata entry");
        }
        String value = all.get(0).trim();
        if (!value.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            throw new TokenRejectedException("'authorization' metadata is not 'Bearer <jwt>'");
        }
        return value.substring(BEARER.length()).trim();
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    static Object peer(ServerCall<?, ?> call) {
        return call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    }

    /**
     * Holds the call back from the service until the first request message is authorized. gRPC calls a listener's
     * methods one at a time, so the fields need no locking.
     */
    private static final class AuthorizeFirstMessage<Q, R> extends ServerCall.Listener<Q> {
        private final ServerCall<Q, R> call;
        private final Metadata headers;
        private final ServerCallHandler<Q, R> next;
        private final RpcAccessRules.Rule rule;
        private final Grant grant;
        private ServerCall.Listener<Q> service;
        private boolean ended;
        private boolean readyBeforeStart;

        AuthorizeFirstMessage(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next,
                RpcAccessRules.Rule rule, Grant grant) {
            this.call = call;
            this.headers = headers;
            this.next = next;
            this.rule = rule;
            this.grant = grant;
        }

        @Override
        public void onMessage(Q message) {
            if (service != null) {
                service.onMessage(message);
                return;
            }
            if (ended) {
                return;
            }
            Optional<String> denial = rule.denial(grant, message);
            if (denial.isPresent()) {
                ended = true;
                LOG.info("{} from {} denied: {}", rule.method(), peer(call), denial.get());
                call.close(Status.PERMISSION_DENIED.withDescription(denial.get()), new Metadata());
                return;
            }
            service = next.startCall(call, headers);
            service.onMessage(message);
            if (readyBeforeStart) {
                service.onReady();
            }
        }

        @Override
        public void onHalfClose() {
            if (service != null) {
                service.onHalfClose();
            } else if (!ended) {
                ended = true;
                call.close(Status.INVALID_ARGUMENT.withDescription("the call sent no request message"),
                        new Metadata());
            }
        }

        @Override
        public void onCancel() {
            ended = true;
            if (service != null) {
                service.onCancel();
            }
        }

        @Override
        public void onComplete() {
            if (service != null) {
                service.onComplete();
            }
        }

        @Override
        public void onReady() {
            if (service != null) {
                service.onReady();
            } else {
                readyBeforeStart = true;
            }
        }
    }
}
