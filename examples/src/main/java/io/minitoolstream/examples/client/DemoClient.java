package io.minitoolstream.examples.client;

import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.minitoolstream.examples.Durations;
import io.minitoolstream.examples.grpc.auth.AuthSettings;
import io.minitoolstream.examples.grpc.auth.Permission;
import io.minitoolstream.examples.grpc.auth.SubjectPatterns;
import io.minitoolstream.grpc.AckRequest;
import io.minitoolstream.grpc.AckResponse;
import io.minitoolstream.grpc.EgressServiceGrpc;
import io.minitoolstream.grpc.FetchRequest;
import io.minitoolstream.grpc.GetLastSequenceRequest;
import io.minitoolstream.grpc.IngressServiceGrpc;
import io.minitoolstream.grpc.Message;
import io.minitoolstream.grpc.Notification;
import io.minitoolstream.grpc.PublishRequest;
import io.minitoolstream.grpc.PublishResponse;
import io.minitoolstream.grpc.SubscribeRequest;

/**
 * A tiny client for the example's gRPC services, so nothing else (grpcurl) is needed to try them:
 *
 * <pre>
 * publish &lt;subject&gt; &lt;text&gt; [name=value ...]   store a message (text as UTF-8), print its sequence
 * fetch &lt;subject&gt; &lt;durable&gt; [batch-size]       print up to batch-size (10) messages after the durable's position
 * ack &lt;subject&gt; &lt;durable&gt; &lt;sequence&gt;          move the durable's position to sequence
 * last &lt;subject&gt;                               print the subject's last sequence
 * subscribe &lt;subject&gt; [durable]                print notifications until Ctrl-C
 * token &lt;client-id&gt; &lt;permissions&gt; &lt;subjects&gt; [ttl]  print an HS256 development token
 * </pre>
 *
 * Options before the command: {@code --token <jwt>} (default: {@code MTS_TOKEN}) is sent as
 * {@code authorization: Bearer <jwt>}; {@code --tls-ca <pem>} switches to TLS trusting that CA, and
 * {@code --tls-cert <pem> --tls-key <pem>} present a client certificate (the servers' TLS is mutual).
 * The servers are {@code MTS_INGRESS} (default {@code localhost:50051}) and {@code MTS_EGRESS} (default
 * {@code localhost:50052}). {@code token} signs with {@code MINITOOLSTREAM_AUTH_HS256_SECRET} (the server's
 * variable) and adds {@code MINITOOLSTREAM_AUTH_ISSUER} / {@code _AUDIENCE} when set. Exit code 0 on success, 1
 * when the server reported an error, 2 on bad usage.
 */
public final class DemoClient {

    private static final int MAX_INBOUND_BYTES = 256 * 1024 * 1024;
    static final String SECRET_ENV = "MINITOOLSTREAM_AUTH_HS256_SECRET";
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private final PrintStream out;
    private final Map<String, String> env;
    private final String ingress;
    private final String egress;
    // Set by each run's options.
    private String token;
    private File tlsCa;
    private File tlsCert;
    private File tlsKey;

    /** {@code env}: the environment variables to read ({@code System.getenv()} from {@link #main}). */
    public DemoClient(PrintStream out, Map<String, String> env) {
        this.out = out;
        this.env = env;
        this.ingress = env("MTS_INGRESS", "localhost:50051");
        this.egress = env("MTS_EGRESS", "localhost:50052");
    }

    public static void main(String[] args) {
        int code = new DemoClient(System.out, System.getenv()).run(args);
        System.exit(code);
    }

    private String env(String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** Runs one command; returns the exit code. */
    public int run(String... args) {
        token = env("MTS_TOKEN", null);
        tlsCa = null;
        tlsCert = null;
        tlsKey = null;
        int first = 0;
        while (first < args.length && args[first].startsWith("--")) {
            if (first + 1 >= args.length) {
                return usage();
            }
            String value = args[first + 1];
            switch (args[first]) {
                case "--token" -> token = value;
                case "--tls-ca" -> tlsCa = new File(value);
                case "--tls-cert" -> tlsCert = new File(value);
                case "--tls-key" -> tlsKey = new File(value);
                default -> {
                    return usage();
                }
            }
            first += 2;
        }
        if (first >= args.length || (tlsCert == null) != (tlsKey == null)) {
            return usage();
        }
        String command = args[first];
        String[] rest = Arrays.copyOfRange(args, first + 1, args.length);
        try {
            return switch (command) {
                case "publish" -> rest.length >= 2 ? publish(rest) : usage();
                case "fetch" -> rest.length == 2 || rest.length == 3 ? fetch(rest) : usage();
                case "ack" -> rest.length == 3 ? ack(rest) : usage();
                case "last" -> rest.length == 1 ? last(rest[0]) : usage();
                case "subscribe" -> rest.length == 1 || rest.length == 2 ? subscribe(rest) : usage();
                case "token" -> rest.length == 3 || rest.length == 4 ? token(rest) : usage();
                default -> usage();
            };
        } catch (StatusRuntimeException e) {
            out.println("error: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            return 1;
        } catch (NumberFormatException e) {
            out.println("error: not a number: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
    }

    /** Prints only the token, so {@code export MTS_TOKEN=$(bin/run client token ...)} works. */
    private int token(String[] args) {
        String secret = env(SECRET_ENV, null);
        if (secret == null) {
            out.println("error: set " + SECRET_ENV + " to the server's " + AuthSettings.HS256_SECRET);
            return 2;
        }
        List<String> permissions = List.of(args[1].split(","));
        permissions.forEach(Permission::fromClaim);
        List<String> subjects = List.of(args[2].split(","));
        SubjectPatterns.parse(subjects);
        Duration ttl = Durations.positive("ttl", args.length == 4 ? args[3] : "1h");
        out.println(DevTokens.hs256(secret.getBytes(StandardCharsets.UTF_8), args[0], permissions, subjects, ttl,
                env("MINITOOLSTREAM_AUTH_ISSUER", null), env("MINITOOLSTREAM_AUTH_AUDIENCE", null), Instant.now()));
        return 0;
    }

    private int publish(String[] args) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                out.println("error: header '" + args[i] + "' is not name=value");
                return 2;
            }
            headers.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        ManagedChannel channel = channel(ingress);
        try {
            PublishResponse response = IngressServiceGrpc.newBlockingStub(authorized(channel))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .publish(PublishRequest.newBuilder()
                            .setSubject(args[0])
                            .setData(ByteString.copyFromUtf8(args[1]))
                            .putAllHeaders(headers)
                            .build());
            if (response.getStatusCode() != 0) {
                out.println("error: status " + response.getStatusCode() + ": " + response.getErrorMessage());
                return 1;
            }
            out.println("published " + args[0] + " sequence " + response.getSequence()
                        + (response.getObjectName().isEmpty() ? " (inline)" : " object " + response.getObjectName()));
            return 0;
        } finally {
            close(channel);
        }
    }

    private int fetch(String[] args) {
        int batch = args.length == 3 ? Integer.parseInt(args[2]) : 10;
        ManagedChannel channel = channel(egress);
        try {
            Iterator<Message> messages = EgressServiceGrpc.newBlockingStub(authorized(channel))
                    .withDeadlineAfter(60, TimeUnit.SECONDS)
                    .fetch(FetchRequest.newBuilder().setSubject(args[0]).setDurableName(args[1])
                            .setBatchSize(batch).build());
            int count = 0;
            while (messages.hasNext()) {
                Message message = messages.next();
                count++;
                out.println("#" + message.getSequence() + " " + message.getSubject() + " "
                            + Instant.ofEpochSecond(message.getTimestamp().getSeconds()) + " headers="
                            + message.getHeadersMap() + " data(" + message.getData().size() + " bytes)="
                            + preview(message.getData()));
            }
            out.println(count + " message(s); acknowledge with: ack " + args[0] + " " + args[1] + " <sequence>");
            return 0;
        } finally {
            close(channel);
        }
    }

    private int ack(String[] args) {
        ManagedChannel channel = channel(egress);
        try {
            AckResponse response = EgressServiceGrpc.newBlockingStub(authorized(channel))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .ackMessage(AckRequest.newBuilder().setSubject(args[0]).setDurableName(args[1])
                            .setSequence(Long.parseLong(args[2])).build());
            if (!response.getSuccess()) {
                out.println("error: " + response.getErrorMessage());
                return 1;
            }
            out.println("acknowledged " + args[0] + " up to " + args[2] + " for " + args[1]);
            return 0;
        } finally {
            close(channel);
        }
    }

    private int last(String subject) {
        ManagedChannel channel = channel(egress);
        try {
            long last = EgressServiceGrpc.newBlockingStub(authorized(channel))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getLastSequence(GetLastSequenceRequest.newBuilder().setSubject(subject).build())
                    .getLastSequence();
            out.println(subject + " last sequence " + last);
            return 0;
        } finally {
            close(channel);
        }
    }

    private int subscribe(String[] args) {
        ManagedChannel channel = channel(egress);
        try {
            SubscribeRequest.Builder request = SubscribeRequest.newBuilder().setSubject(args[0]);
            if (args.length == 2) {
                request.setDurableName(args[1]);
            }
            out.println("subscribed to " + args[0] + "; Ctrl-C to stop");
            Iterator<Notification> notifications = EgressServiceGrpc.newBlockingStub(authorized(channel))
                    .subscribe(request.build());
            while (notifications.hasNext()) {
                Notification notification = notifications.next();
                out.println(notification.getSubject() + " last sequence " + notification.getSequence());
            }
            return 0;
        } finally {
            close(channel);
        }
    }

    private int usage() {
        out.println("""
                usage: DemoClient <command> ...
                  publish <subject> <text> [name=value ...]
                  fetch <subject> <durable> [batch-size]
                  ack <subject> <durable> <sequence>
                  last <subject>
                  subscribe <subject> [durable]
                  token <client-id> <permission,...> <subject-pattern,...> [ttl, default 1h]
                options (before the command):
                  --token <jwt>                       bearer token (default: MTS_TOKEN)
                  --tls-ca <pem>                      use TLS, trusting this CA for the server's certificate
                  --tls-cert <pem> --tls-key <pem>    client certificate and PKCS#8 key (mutual TLS)
                servers: MTS_INGRESS (default localhost:50051), MTS_EGRESS (default localhost:50052)
                token signs with MINITOOLSTREAM_AUTH_HS256_SECRET; permissions: publish, subscribe, fetch, ack""");
        return 2;
    }

    private ManagedChannel channel(String target) {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target).maxInboundMessageSize(MAX_INBOUND_BYTES);
        if (tlsCa == null && tlsCert == null) {
            return builder.usePlaintext().build();
        }
        try {
            var tls = GrpcSslContexts.forClient();
            if (tlsCa != null) {
                tls.trustManager(tlsCa);
            }
            if (tlsCert != null) {
                tls.keyManager(tlsCert, tlsKey);
            }
            return builder.sslContext(tls.build()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot set up TLS from --tls-ca/--tls-cert/--tls-key: "
                                               + e.getMessage(), e);
        }
    }

    /** The channel sending the bearer token, when there is one. */
    private Channel authorized(ManagedChannel channel) {
        if (token == null) {
            return channel;
        }
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static void close(ManagedChannel channel) {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String preview(ByteString data) {
        int limit = 80;
        String text = data.substring(0, Math.min(limit, data.size())).toString(StandardCharsets.UTF_8);
        StringBuilder printable = new StringBuilder();
        for (char c : text.toCharArray()) {
            printable.append(Character.isISOControl(c) ? '.' : c);
        }
        return printable + (data.size() > limit ? "..." : "");
    }
}
