package io.minitoolstream.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import com.nimbusds.jwt.JWTClaimsSet;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.DevServicesExtension;
import io.minitoolstream.examples.client.DemoClient;
import io.minitoolstream.examples.grpc.auth.AuthSettings;
import io.minitoolstream.examples.grpc.auth.TestTokens;
import io.minitoolstream.grpc.AckRequest;
import io.minitoolstream.grpc.AckResponse;
import io.minitoolstream.grpc.FetchRequest;
import io.minitoolstream.grpc.GetLastSequenceRequest;
import io.minitoolstream.grpc.Message;
import io.minitoolstream.grpc.Notification;
import io.minitoolstream.grpc.PublishRequest;
import io.minitoolstream.grpc.PublishResponse;
import io.minitoolstream.grpc.SubscribeRequest;
import org.apache.camel.component.grpc.GrpcEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * JWT authentication and subject authorization on all five RPCs, over real gRPC against the running application
 * with both HS256 and RS256 configured.
 */
@ExtendWith(DevServicesExtension.class)
class GrpcAuthTest {

    private static final List<String> ALL = List.of("publish", "fetch", "subscribe", "ack");
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    private static final ExchangeCounter EXCHANGES = new ExchangeCounter();
    /** Every token a test sent (each call with a token records it), to look for in the logs. */
    private static final List<String> SENT_TOKENS = java.util.Collections.synchronizedList(new ArrayList<>());

    private static RunningApp app;
    private static String admin;

    @BeforeAll
    static void start(DevServices services) throws Exception {
        LOGS.start();
        root().addAppender(LOGS);
        app = RunningApp.start(services, Map.of(
                        AuthSettings.ENABLED, "true",
                        AuthSettings.HS256_SECRET, TestTokens.HS256_SECRET,
                        AuthSettings.RS256_PUBLIC_KEY, TestTokens.rs256PublicKeyPem()),
                context -> context.getManagementStrategy().addEventNotifier(EXCHANGES));
        admin = hs256("admin", ALL, List.of("*"));
    }

    /**
     * After every test, whatever order they run in: no token sent so far and no configured secret is in anything
     * logged so far. A test that leaks is the one that fails.
     */
    @org.junit.jupiter.api.AfterEach
    void noTokenOrSecretReachedTheLogs() {
        assertNoSecretIn(loggedText());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        root().detachAppender(LOGS);
    }

    @Test
    void everyRpcWithoutATokenIsUnauthenticated() {
        String subject = RunningApp.subject("anonymous");
        int before = EXCHANGES.total();
        for (ThrowingCallable call : List.<ThrowingCallable>of(
                () -> app.ingress().publish(publishRequest(subject, "x")),
                () -> drain(app.egress().fetch(fetchRequest(subject, "d"))),
                () -> firstNotification(null, SubscribeRequest.newBuilder().setSubject(subject).build()),
                () -> app.egress().getLastSequence(GetLastSequenceRequest.newBuilder().setSubject(subject).build()),
                () -> app.egress().ackMessage(ackRequest(subject, "d", 1)))) {
            assertStatus(call, Status.Code.UNAUTHENTICATED, "missing bearer token");
        }
        assertThat(EXCHANGES.total()).as("no call reached a route").isEqualTo(before);
    }

    @Test
    void everyRpcWorksWithAValidToken() throws Exception {
        String subject = RunningApp.subject("allowed");
        String token = hs256("worker", ALL, List.of(subject));
        int before = EXCHANGES.total();

        PublishResponse published = withToken(app.ingress(), token).publish(publishRequest(subject, "hello"));
        assertThat(published.getStatusCode()).as(published.getErrorMessage()).isZero();
        List<Message> fetched = drain(withToken(app.egress(), token).fetch(fetchRequest(subject, "d")));
        assertThat(fetched).extracting(m -> m.getData().toStringUtf8()).containsExactly("hello");
        assertThat(lastSequence(token, subject)).isEqualTo(published.getSequence());
        Notification notification = firstNotification(token, SubscribeRequest.newBuilder().setSubject(subject)
                .setStartSequence(1).build());
        assertThat(notification.getSequence()).isEqualTo(published.getSequence());
        AckResponse ack = withToken(app.egress(), token).ackMessage(ackRequest(subject, "d", published.getSequence()));
        assertThat(ack.getSuccess()).as(ack.getErrorMessage()).isTrue();
        assertThat(drain(withToken(app.egress(), token).fetch(fetchRequest(subject, "d")))).isEmpty();

        assertThat(EXCHANGES.total()).as("each call reached its route").isGreaterThanOrEqualTo(before + 6);
    }

    @Test
    void aTokenForOneSubjectCannotTouchAnother() throws Exception {
        String mine = RunningApp.subject("mine");
        String theirs = RunningApp.subject("theirs");
        String token = hs256("client-a", ALL, List.of(mine));
        long first = withToken(app.ingress(), admin).publish(publishRequest(theirs, "one")).getSequence();
        long second = withToken(app.ingress(), admin).publish(publishRequest(theirs, "two")).getSequence();
        int before = EXCHANGES.total();

        assertDenied(() -> withToken(app.ingress(), token).publish(publishRequest(theirs, "intruder")), theirs,
                "client-a");
        assertDenied(() -> drain(withToken(app.egress(), token).fetch(fetchRequest(theirs, "d"))), theirs,
                "client-a");
        assertDenied(() -> firstNotification(token, SubscribeRequest.newBuilder().setSubject(theirs)
                .setStartSequence(1).build()), theirs, "client-a");
        assertDenied(() -> lastSequence(token, theirs), theirs, "client-a");
        assertDenied(() -> withToken(app.egress(), token).ackMessage(ackRequest(theirs, "d", second)), theirs,
                "client-a");

        assertThat(EXCHANGES.total()).as("no denied call reached a route").isEqualTo(before);
        assertThat(lastSequence(admin, theirs)).as("nothing was published to " + theirs).isEqualTo(second);
        assertThat(drain(withToken(app.egress(), admin).fetch(fetchRequest(theirs, "d"))))
                .as("the durable's position did not move").extracting(Message::getSequence)
                .containsExactly(first, second);
        // The same token still works on its own subject.
        assertThat(withToken(app.ingress(), token).publish(publishRequest(mine, "ok")).getStatusCode()).isZero();
    }

    @Test
    void eachRpcNeedsItsPermission() throws Exception {
        String subject = RunningApp.subject("perm");
        long sequence = withToken(app.ingress(), admin).publish(publishRequest(subject, "x")).getSequence();
        String fetchOnly = hs256("reader", List.of("fetch"), List.of("*"));
        String subscribeOnly = hs256("watcher", List.of("subscribe"), List.of("*"));
        String publishOnly = hs256("writer", List.of("publish"), List.of("*"));
        String ackOnly = hs256("acker", List.of("ack"), List.of("*"));

        assertDenied(() -> withToken(app.ingress(), fetchOnly).publish(publishRequest(subject, "y")), subject,
                "reader", "'publish'");
        assertDenied(() -> firstNotification(fetchOnly, SubscribeRequest.newBuilder().setSubject(subject).build()),
                subject, "reader", "'subscribe'");
        assertDenied(() -> withToken(app.egress(), fetchOnly).ackMessage(ackRequest(subject, "d", sequence)),
                subject, "reader", "'ack'");
        assertDenied(() -> drain(withToken(app.egress(), publishOnly).fetch(fetchRequest(subject, "d"))), subject,
                "writer", "'fetch'");
        assertDenied(() -> drain(withToken(app.egress(), ackOnly).fetch(fetchRequest(subject, "d"))), subject,
                "acker", "'fetch'");

        // GetLastSequence: fetch or subscribe, not publish or ack alone.
        assertThat(lastSequence(fetchOnly, subject)).isEqualTo(sequence);
        assertThat(lastSequence(subscribeOnly, subject)).isEqualTo(sequence);
        assertDenied(() -> lastSequence(publishOnly, subject), subject, "writer", "'fetch' or 'subscribe'");
        assertDenied(() -> lastSequence(ackOnly, subject), subject, "acker");

        assertThat(withToken(app.egress(), ackOnly).ackMessage(ackRequest(subject, "d", sequence)).getSuccess())
                .isTrue();
        assertThat(drain(withToken(app.egress(), fetchOnly).fetch(fetchRequest(subject, "d")))).isEmpty();
    }

    @Test
    void prefixAndStarPatternsOverGrpc() {
        String base = RunningApp.subject("orders");
        String prefixed = hs256("regional", List.of("publish"), List.of(base + ".*"));
        assertThat(withToken(app.ingress(), prefixed).publish(publishRequest(base + ".eu", "x")).getStatusCode())
                .isZero();
        assertThat(withToken(app.ingress(), prefixed).publish(publishRequest(base + ".eu.west", "x"))
                .getStatusCode()).isZero();
        assertDenied(() -> withToken(app.ingress(), prefixed).publish(publishRequest(base, "x")), base, "regional");
        assertDenied(() -> withToken(app.ingress(), prefixed).publish(publishRequest(base + "x.eu", "x")),
                base + "x.eu", "regional");

        String everything = hs256("ops", List.of("publish"), List.of("*"));
        assertThat(withToken(app.ingress(), everything).publish(publishRequest(RunningApp.subject("any"), "x"))
                .getStatusCode()).isZero();
    }

    @Test
    void rs256AndHs256AreBothAccepted() {
        String subject = RunningApp.subject("algorithms");
        String rs256 = TestTokens.rs256(TestTokens.claims("rsa-client", ALL, List.of(subject)));
        String hs256 = hs256("hmac-client", ALL, List.of(subject));
        SENT_TOKENS.add(rs256);
        assertThat(withToken(app.ingress(), rs256).publish(publishRequest(subject, "rs")).getStatusCode()).isZero();
        assertThat(withToken(app.ingress(), hs256).publish(publishRequest(subject, "hs")).getStatusCode()).isZero();
        assertThat(drain(withToken(app.egress(), rs256).fetch(fetchRequest(subject, "d"))))
                .extracting(m -> m.getData().toStringUtf8()).containsExactly("rs", "hs");
    }

    @Test
    void badTokensAreUnauthenticated() {
        String subject = RunningApp.subject("bad");
        JWTClaimsSet.Builder claims = TestTokens.claims("mallory", ALL, List.of("*"));
        Map<String, String> reasons = new HashMap<>();
        reasons.put(TestTokens.hs256(TestTokens.claims("mallory", ALL, List.of("*")),
                "a-different-secret-of-more-than-32-bytes".getBytes(StandardCharsets.UTF_8)), "signature");
        reasons.put(TestTokens.rs256WithOtherKey(claims), "signature");
        reasons.put(TestTokens.hs256(TestTokens.claims("mallory", ALL, List.of("*"))
                .expirationTime(Date.from(Instant.now().minusSeconds(600)))), "Expired");
        reasons.put(TestTokens.unsigned(claims), "invalid token");
        reasons.put(TestTokens.hs256WithPublicKeyAsSecret(claims), "signature");
        reasons.put("garbage", "not a well-formed JWT");
        int before = EXCHANGES.total();
        reasons.forEach((token, reason) -> {
            SENT_TOKENS.add(token);
            assertStatus(() -> withToken(app.ingress(), token).publish(publishRequest(subject, "x")),
                    Status.Code.UNAUTHENTICATED, reason);
            assertStatus(() -> drain(withToken(app.egress(), token).fetch(fetchRequest(subject, "d"))),
                    Status.Code.UNAUTHENTICATED, reason);
        });
        Metadata basic = new Metadata();
        basic.put(AUTHORIZATION, "Basic " + admin);
        assertStatus(() -> app.ingress().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(basic))
                .publish(publishRequest(subject, "x")), Status.Code.UNAUTHENTICATED, "Bearer");
        assertThat(EXCHANGES.total()).isEqualTo(before);
        assertThat(lastSequence(admin, subject)).isZero();
    }

    @Test
    void theDemoClientSendsItsToken() {
        String subject = RunningApp.subject("demo");
        Map<String, String> env = Map.of("MTS_INGRESS", "127.0.0.1:" + app.ingressPort,
                "MTS_EGRESS", "127.0.0.1:" + app.egressPort,
                "MINITOOLSTREAM_AUTH_HS256_SECRET", TestTokens.HS256_SECRET);
        ByteArrayOutputStream minted = new ByteArrayOutputStream();
        assertThat(new DemoClient(new PrintStream(minted, true, StandardCharsets.UTF_8), env)
                .run("token", "demo-cli", "publish,fetch", subject + ",other.*", "10m")).isZero();
        String token = minted.toString(StandardCharsets.UTF_8).trim();
        SENT_TOKENS.add(token);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DemoClient client = new DemoClient(new PrintStream(out, true, StandardCharsets.UTF_8), env);
        assertThat(client.run("--token", token, "publish", subject, "hi")).as(out.toString()).isZero();
        assertThat(new DemoClient(new PrintStream(out, true, StandardCharsets.UTF_8),
                withEntry(env, "MTS_TOKEN", token)).run("fetch", subject, "me")).as(out.toString()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("published " + subject, "data(2 bytes)=hi");

        ByteArrayOutputStream refused = new ByteArrayOutputStream();
        assertThat(new DemoClient(new PrintStream(refused, true, StandardCharsets.UTF_8), env)
                .run("publish", subject, "no token")).isEqualTo(1);
        assertThat(refused.toString(StandardCharsets.UTF_8)).contains("UNAUTHENTICATED");
        ByteArrayOutputStream denied = new ByteArrayOutputStream();
        assertThat(new DemoClient(new PrintStream(denied, true, StandardCharsets.UTF_8), env)
                .run("--token", token, "ack", subject, "me", "1")).isEqualTo(1);
        assertThat(denied.toString(StandardCharsets.UTF_8)).contains("PERMISSION_DENIED", "demo-cli", subject);

        ByteArrayOutputStream noSecret = new ByteArrayOutputStream();
        assertThat(new DemoClient(new PrintStream(noSecret, true, StandardCharsets.UTF_8), Map.of())
                .run("token", "x", "publish", "*")).isEqualTo(2);
        assertThat(noSecret.toString(StandardCharsets.UTF_8)).contains("MINITOOLSTREAM_AUTH_HS256_SECRET");
    }

    @Test
    void bothServersCarryTheInterceptor() {
        Object interceptor = app.context().getRegistry().lookupByName(ExamplesConfiguration.AUTH_INTERCEPTOR);
        assertThat(interceptor).isNotNull();
        for (String route : List.of("ingress-publish", "egress")) {
            GrpcEndpoint endpoint = (GrpcEndpoint) app.context().getRoute(route).getEndpoint();
            // with the message-id interceptor, which only carries a request header to the route
            assertThat(endpoint.getConfiguration().getServerInterceptors()).as(route).hasSize(2).contains(
                    (io.grpc.ServerInterceptor) interceptor);
        }
    }

    @Test
    void aShortSecretStopsTheStartNamingThePropertyButNotTheValue(DevServices services) {
        String shortSecret = "too-short-" + UUID.randomUUID().toString().substring(0, 8);
        Throwable failure = catchThrowable(() -> RunningApp.start(services, Map.of(AuthSettings.ENABLED, "true",
                AuthSettings.HS256_SECRET, shortSecret)).close());
        assertThat(failure).isNotNull();
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(t.getMessage());
        }
        assertThat(messages).anyMatch(m -> m != null && m.contains("minitoolstream.auth.hs256-secret")
                                           && m.contains("at least 32 bytes"));
        assertThat(messages).noneMatch(m -> m != null && m.contains(shortSecret));
        assertThat(loggedText()).noneMatch(line -> line.contains(shortSecret));
    }

    /** Runs rejected and accepted calls, then reads everything logged since the application started. */
    @Test
    void secretsAndTokensNeverReachTheLogs() {
        String subject = RunningApp.subject("logs");
        String denied = hs256("log-client", List.of("fetch"), List.of("elsewhere"));
        assertDenied(() -> withToken(app.ingress(), denied).publish(publishRequest(subject, "x")), subject,
                "log-client");
        assertStatus(() -> withToken(app.ingress(), TestTokens.hs256WithPublicKeyAsSecret(
                TestTokens.claims("log-client", ALL, List.of("*")))).publish(publishRequest(subject, "x")),
                Status.Code.UNAUTHENTICATED, "signature");
        withToken(app.ingress(), admin).publish(publishRequest(subject, "x"));

        List<String> logged = loggedText();
        assertThat(logged).as("the appender sees the interceptor's lines")
                .anyMatch(line -> line.contains("denied") && line.contains("log-client") && line.contains(subject));
        assertThat(logged).anyMatch(line -> line.contains("bearer JWT on every call"));
        assertNoSecretIn(logged);
    }

    private static void assertNoSecretIn(List<String> logged) {
        List<String> secrets;
        synchronized (SENT_TOKENS) {
            secrets = new ArrayList<>(SENT_TOKENS);
        }
        secrets.add(TestTokens.HS256_SECRET);
        for (String secret : secrets) {
            // A JWT's signature part alone identifies it.
            String signature = secret.contains(".") ? secret.substring(secret.lastIndexOf('.') + 1) : secret;
            if (signature.length() < 16) {
                continue;
            }
            assertThat(logged).as("a token or secret in the logs").noneMatch(line -> line.contains(signature));
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static String hs256(String clientId, List<String> permissions, List<String> subjects) {
        String token = TestTokens.hs256(TestTokens.claims(clientId, permissions, subjects));
        SENT_TOKENS.add(token);
        return token;
    }

    private static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        if (token == null) {
            return stub;
        }
        SENT_TOKENS.add(token);
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static PublishRequest publishRequest(String subject, String text) {
        return PublishRequest.newBuilder().setSubject(subject).setData(ByteString.copyFromUtf8(text)).build();
    }

    private static FetchRequest fetchRequest(String subject, String durable) {
        return FetchRequest.newBuilder().setSubject(subject).setDurableName(durable).setBatchSize(10).build();
    }

    private static AckRequest ackRequest(String subject, String durable, long sequence) {
        return AckRequest.newBuilder().setSubject(subject).setDurableName(durable).setSequence(sequence).build();
    }

    private static long lastSequence(String token, String subject) {
        return withToken(app.egress(), token).getLastSequence(GetLastSequenceRequest.newBuilder()
                .setSubject(subject).build()).getLastSequence();
    }

    private static <T> List<T> drain(Iterator<T> iterator) {
        List<T> all = new ArrayList<>();
        iterator.forEachRemaining(all::add);
        return all;
    }

    /** The Subscribe stream's first notification; the stream is cancelled afterwards. */
    private static Notification firstNotification(String token, SubscribeRequest request) throws Exception {
        try (Context.CancellableContext call = Context.current().withCancellation()) {
            return call.call(() -> withToken(app.egress(), token).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .subscribe(request).next());
        }
    }

    private static void assertDenied(ThrowingCallable call, String subject, String... alsoNamed) {
        List<String> expected = new ArrayList<>(List.of("'" + subject + "'"));
        expected.addAll(List.of(alsoNamed));
        assertStatus(call, Status.Code.PERMISSION_DENIED, expected.toArray(String[]::new));
    }

    private static void assertStatus(ThrowingCallable call, Status.Code code, String... described) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).as(String.valueOf(e.getStatus())).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(described);
            assertThat(SENT_TOKENS).noneMatch(token -> e.getStatus().getDescription().contains(token));
        });
    }

    private static Map<String, String> withEntry(Map<String, String> map, String key, String value) {
        Map<String, String> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static List<String> loggedText() {
        List<ILoggingEvent> events;
        synchronized (LOGS) {
            events = new ArrayList<>(LOGS.list);
        }
        List<String> text = new ArrayList<>();
        for (ILoggingEvent event : events) {
            text.add(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        return text;
    }

    /** Counts the exchanges the two gRPC routes create: a call that reached a route made one. */
    private static final class ExchangeCounter extends EventNotifierSupport {
        private final Map<String, AtomicInteger> byRoute = new ConcurrentHashMap<>();

        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeCreatedEvent created) {
                String route = created.getExchange().getFromRouteId();
                if ("ingress-publish".equals(route) || "egress".equals(route)) {
                    byRoute.computeIfAbsent(route, r -> new AtomicInteger()).incrementAndGet();
                }
            }
        }

        int total() {
            return byRoute.values().stream().mapToInt(AtomicInteger::get).sum();
        }
    }
}
