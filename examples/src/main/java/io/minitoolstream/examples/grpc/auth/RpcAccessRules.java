package io.minitoolstream.examples.grpc.auth;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.minitoolstream.grpc.AckRequest;
import io.minitoolstream.grpc.EgressServiceGrpc;
import io.minitoolstream.grpc.FetchRequest;
import io.minitoolstream.grpc.GetLastSequenceRequest;
import io.minitoolstream.grpc.IngressServiceGrpc;
import io.minitoolstream.grpc.PublishRequest;
import io.minitoolstream.grpc.SubscribeRequest;

/**
 * Which permission each RPC needs and where its subject is in the request:
 * <table>
 * <caption>permissions</caption>
 * <tr><th>RPC</th><th>permission</th></tr>
 * <tr><td>IngressService/Publish</td><td>{@code publish}</td></tr>
 * <tr><td>EgressService/Fetch</td><td>{@code fetch}</td></tr>
 * <tr><td>EgressService/Subscribe</td><td>{@code subscribe}</td></tr>
 * <tr><td>EgressService/AckMessage</td><td>{@code ack}</td></tr>
 * <tr><td>EgressService/GetLastSequence</td><td>{@code fetch} or {@code subscribe}</td></tr>
 * </table>
 * GetLastSequence answers only a subject's newest sequence: what Subscribe notifications announce anyway and what
 * a fetching client needs to see how far behind it is, so either permission grants it; {@code publish} alone does
 * not (a publisher learns its own sequences from its responses, not the others').
 * <p>
 * A method without a rule is denied: a new RPC must be given one here before anyone can call it.
 */
public final class RpcAccessRules {

    /** One RPC's rule: any of {@code permissions}, for the subject the request names. */
    public record Rule(String method, Set<Permission> permissions, Function<Object, String> subjectOfRequest) {

        /** Empty when the grant allows the request; otherwise why not, naming the client and the subject. */
        public Optional<String> denial(Grant grant, Object request) {
            String subject = subjectOfRequest.apply(request);
            if (!grant.hasAny(permissions)) {
                return Optional.of("client '" + grant.clientId() + "' may not call " + method + " on subject '"
                                   + subject + "': it needs permission " + describe(permissions));
            }
            if (!grant.subjects().matches(subject)) {
                return Optional.of("client '" + grant.clientId() + "' may not call " + method + " on subject '"
                                   + subject + "': not in its allowed_subjects");
            }
            return Optional.empty();
        }

        private static String describe(Set<Permission> permissions) {
            return permissions.stream().map(p -> "'" + p.claimValue() + "'").sorted()
                    .collect(Collectors.joining(" or "));
        }
    }

    private final Map<String, Rule> rules;

    private RpcAccessRules(Map<String, Rule> rules) {
        this.rules = rules;
    }

    /** The rules for this application's two services. */
    public static RpcAccessRules minitoolstream() {
        return new RpcAccessRules(Map.of(
                IngressServiceGrpc.getPublishMethod().getFullMethodName(),
                rule(IngressServiceGrpc.getPublishMethod().getFullMethodName(), PublishRequest.class,
                        PublishRequest::getSubject, Permission.PUBLISH),
                EgressServiceGrpc.getFetchMethod().getFullMethodName(),
                rule(EgressServiceGrpc.getFetchMethod().getFullMethodName(), FetchRequest.class,
                        FetchRequest::getSubject, Permission.FETCH),
                EgressServiceGrpc.getSubscribeMethod().getFullMethodName(),
                rule(EgressServiceGrpc.getSubscribeMethod().getFullMethodName(), SubscribeRequest.class,
                        SubscribeRequest::getSubject, Permission.SUBSCRIBE),
                EgressServiceGrpc.getAckMessageMethod().getFullMethodName(),
                rule(EgressServiceGrpc.getAckMessageMethod().getFullMethodName(), AckRequest.class,
                        AckRequest::getSubject, Permission.ACK),
                EgressServiceGrpc.getGetLastSequenceMethod().getFullMethodName(),
                rule(EgressServiceGrpc.getGetLastSequenceMethod().getFullMethodName(),
                        GetLastSequenceRequest.class, GetLastSequenceRequest::getSubject,
                        Permission.FETCH, Permission.SUBSCRIBE)));
    }

    /** The rule for a full method name ({@code minitoolstream.EgressService/Fetch}), empty when there is none. */
    public Optional<Rule> forMethod(String fullMethodName) {
        return Optional.ofNullable(rules.get(fullMethodName));
    }

    private static <T> Rule rule(String method, Class<T> requestType, Function<T, String> subject,
            Permission first, Permission... more) {
        return new Rule(method, EnumSet.of(first, more), request -> subject.apply(requestType.cast(request)));
    }
}
