package io.minitoolstream.examples.client;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
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
 * </pre>
 *
 * The servers are {@code MTS_INGRESS} (default {@code localhost:50051}) and {@code MTS_EGRESS} (default
 * {@code localhost:50052}). Exit code 0 on success, 1 when the server reported an error, 2 on bad usage.
 */
public final class DemoClient {

    private static final int MAX_INBOUND_BYTES = 256 * 1024 * 1024;

    private final PrintStream out;
    private final String ingress;
    private final String egress;

    public DemoClient(PrintStream out, String ingress, String egress) {
        this.out = out;
        this.ingress = ingress;
        this.egress = egress;
    }

    public static void main(String[] args) {
        String ingress = env("MTS_INGRESS", "localhost:50051");
        String egress = env("MTS_EGRESS", "localhost:50052");
        int code = new DemoClient(System.out, ingress, egress).run(args);
        System.exit(code);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** Runs one command; returns the exit code. */
    public int run(String... args) {
        if (args.length == 0) {
            return usage();
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "publish" -> rest.length >= 2 ? publish(rest) : usage();
                case "fetch" -> rest.length == 2 || rest.length == 3 ? fetch(rest) : usage();
                case "ack" -> rest.length == 3 ? ack(rest) : usage();
                case "last" -> rest.length == 1 ? last(rest[0]) : usage();
                case "subscribe" -> rest.length == 1 || rest.length == 2 ? subscribe(rest) : usage();
                default -> usage();
            };
        } catch (StatusRuntimeException e) {
            out.println("error: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            return 1;
        } catch (NumberFormatException e) {
            out.println("error: not a number: " + e.getMessage());
            return 2;
        }
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
            PublishResponse response = IngressServiceGrpc.newBlockingStub(channel)
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
            Iterator<Message> messages = EgressServiceGrpc.newBlockingStub(channel)
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
            AckResponse response = EgressServiceGrpc.newBlockingStub(channel)
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
            long last = EgressServiceGrpc.newBlockingStub(channel)
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
            Iterator<Notification> notifications = EgressServiceGrpc.newBlockingStub(channel)
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
                servers: MTS_INGRESS (default localhost:50051), MTS_EGRESS (default localhost:50052)""");
        return 2;
    }

    private static ManagedChannel channel(String target) {
        return NettyChannelBuilder.forTarget(target).usePlaintext().maxInboundMessageSize(MAX_INBOUND_BYTES).build();
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
