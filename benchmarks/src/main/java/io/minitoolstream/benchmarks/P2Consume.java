package io.minitoolstream.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;

/**
 * P2: durable, at-least-once consumption of 1 KB messages from a pre-filled subject. Each run starts a new durable
 * consumer at the beginning and times until it has been handed every message.
 * <p>
 * MiniToolStream: a Camel route from {@code minitoolstream:} with a durable (the position is stored in Tarantool
 * after each completed exchange). Peer: camel-nats 4.17's JetStream pull consumer never issues a pull request nor
 * acknowledges, so the peer is the jnats client directly: a durable pull consumer with explicit acks, fetching
 * batches of the same size and acking each message after handling it ({@code ack()}; {@code ackSync()} as well for
 * reference, which like MiniToolStream waits for the server to store the ack). camel-nats' push consumer with a
 * durable (auto-ack after the route) is measured for reference too.
 */
final class P2Consume {

    static final String PEER = "jnats JetStream durable pull + ack()";
    private static final String STREAM = "BENCH_P2";
    private static final String NATS_SUBJECT = "bench.p2";
    private static final String SUBJECT = "bench-p2";
    private static final int SIZE = 1024;
    private static final int BATCH = 100;
    private static final long RUN_TIMEOUT_SECONDS = 180;

    private P2Consume() {
    }

    static List<Row> run(BenchEnv env) throws Exception {
        int count = env.options.consumeCount();
        int runs = env.options.runs();
        byte[] body = Payloads.random(SIZE, 2);
        env.freshStream(STREAM, NATS_SUBJECT);
        try {
            Log.info("P2: pre-filling %d messages of %d bytes into %s and JetStream %s", count, SIZE, SUBJECT, STREAM);
            fillMiniToolStream(env, body, count);
            fillJetStream(env, body, count);
            String uriOptions = "maxMessagesPerPoll=" + BATCH + "&delay=1&initialDelay=0&greedy=true"
                    + (env.options.consumerOptions.isBlank() ? "" : "&" + env.options.consumerOptions);
            List<Double> ours = new ArrayList<>();
            List<Double> peer = new ArrayList<>();
            List<Double> peerSync = new ArrayList<>();
            List<Double> camelPush = new ArrayList<>();
            String camelPushError = null;
            for (int run = 0; run <= runs; run++) {
                boolean warmup = run == 0;
                String tag = warmup ? "warm-up" : "run " + run;
                double mts = consumeMiniToolStream(env, "p2-mts-" + run, uriOptions, count);
                double js = consumeJetStream(env, "p2-js-" + run, count, false);
                double jsSync = consumeJetStream(env, "p2-jssync-" + run, count, true);
                double push = Double.NaN;
                if (camelPushError == null) {
                    try {
                        push = consumeCamelNatsPush(env, "p2-push-" + run, count);
                    } catch (Exception e) {
                        camelPushError = Load.describe(e);
                        Log.info("P2 camel-nats push consumer failed: %s", camelPushError);
                    }
                }
                Log.info("P2 %s: MiniToolStream %.0f msg/s, jnats ack() %.0f, jnats ackSync() %.0f, camel-nats push %.0f",
                        tag, mts, js, jsSync, push);
                if (!warmup) {
                    ours.add(mts);
                    peer.add(js);
                    peerSync.add(jsSync);
                    if (!Double.isNaN(push)) {
                        camelPush.add(push);
                    }
                }
            }
            List<Row> rows = new ArrayList<>();
            rows.add(new Row("P2", "durable consume 1 KB (at-least-once)", "msg/s").ours(ours).peer(PEER, peer)
                    .atLeast(1.0, null, ">= 1.0x JetStream")
                    .detail("messagesPerRun", count)
                    .detail("route", "from minitoolstream:" + SUBJECT + "?durable=<new per run>&" + uriOptions)
                    .detail("peerFetchBatch", BATCH));
            rows.add(new Row("P2", "durable consume 1 KB vs ackSync() (reference)", "msg/s").ours(ours)
                    .peer("jnats JetStream durable pull + ackSync()", peerSync));
            Row push = new Row("P2", "durable consume 1 KB vs camel-nats push (reference)", "msg/s").ours(ours);
            if (!camelPush.isEmpty()) {
                push.peer("camel-nats JetStream push durable (auto-ack)", camelPush);
            }
            if (camelPushError != null) {
                push.detail("peerError", camelPushError);
            }
            rows.add(push);
            return rows;
        } finally {
            env.deleteStream(STREAM);
            Cleanup.deleteSubject(env, SUBJECT);
        }
    }

    private static void fillMiniToolStream(BenchEnv env, byte[] body, int count) throws Exception {
        env.route("direct:p2-fill", "minitoolstream:" + SUBJECT);
        Endpoint fill = env.camel.getEndpoint("direct:p2-fill");
        AtomicInteger left = new AtomicInteger(count);
        Thread[] threads = new Thread[32];
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                while (left.getAndDecrement() > 0) {
                    try {
                        env.template.sendBody(fill, body);
                    } catch (RuntimeException e) {
                        failures.add(e);
                        return;
                    }
                }
            });
            threads[i].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("pre-filling " + SUBJECT + " failed", failures.get(0));
        }
    }

    private static void fillJetStream(BenchEnv env, byte[] body, int count) throws Exception {
        JetStream js = env.jetStream();
        Semaphore window = new Semaphore(1000);
        List<CompletableFuture<?>> last = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            window.acquire();
            CompletableFuture<?> ack = js.publishAsync(NATS_SUBJECT, body).whenComplete((a, e) -> window.release());
            if (i >= count - 1000) {
                last.add(ack);
            }
        }
        CompletableFuture.allOf(last.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        long stored = env.jsm().getStreamInfo(STREAM).getStreamState().getMsgCount();
        if (stored != count) {
            throw new IllegalStateException("JetStream stream holds " + stored + " messages, expected " + count);
        }
    }

    /** A new durable route consumes the whole subject; messages per second from route start to the last one. */
    private static double consumeMiniToolStream(BenchEnv env, String durable, String uriOptions, int count)
            throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger seen = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        env.camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("minitoolstream:" + SUBJECT + "?durable=" + durable + "&" + uriOptions)
                        .routeId(durable).autoStartup(false)
                        .process(exchange -> {
                            bytes.addAndGet(exchange.getIn().getBody(byte[].class).length);
                            if (seen.incrementAndGet() == count) {
                                done.countDown();
                            }
                        });
            }
        });
        long start = System.nanoTime();
        env.camel.getRouteController().startRoute(durable);
        try {
            if (!done.await(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("MiniToolStream consumer got " + seen.get() + " of " + count);
            }
            return count / ((System.nanoTime() - start) / 1e9);
        } finally {
            env.camel.getRouteController().stopRoute(durable);
            env.camel.removeRoute(durable);
        }
    }

    /** A new durable pull consumer fetches the whole stream in batches, handling and acking each message. */
    private static double consumeJetStream(BenchEnv env, String durable, int count, boolean ackSync) throws Exception {
        JetStreamManagement jsm = env.jsm();
        JetStream js = env.jetStream();
        long start = System.nanoTime();
        jsm.addOrUpdateConsumer(STREAM, ConsumerConfiguration.builder().durable(durable)
                .ackPolicy(AckPolicy.Explicit).deliverPolicy(DeliverPolicy.All).filterSubject(NATS_SUBJECT).build());
        JetStreamSubscription subscription = js.subscribe(NATS_SUBJECT, PullSubscribeOptions.bind(STREAM, durable));
        long bytes = 0;
        int seen = 0;
        long deadline = start + TimeUnit.SECONDS.toNanos(RUN_TIMEOUT_SECONDS);
        try {
            while (seen < count) {
                for (Message message : subscription.fetch(BATCH, Duration.ofSeconds(1))) {
                    bytes += message.getData().length;
                    if (ackSync) {
                        message.ackSync(Duration.ofSeconds(10));
                    } else {
                        message.ack();
                    }
                    seen++;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("JetStream consumer got " + seen + " of " + count);
                }
            }
            return count / ((System.nanoTime() - start) / 1e9);
        } finally {
            subscription.unsubscribe();
            jsm.deleteConsumer(STREAM, durable);
        }
    }

    /** camel-nats' own JetStream consumer, push mode with a durable: it acks each message after the route. */
    private static double consumeCamelNatsPush(BenchEnv env, String durable, int count) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger seen = new AtomicInteger();
        String routeId = durable;
        env.camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(env.natsUri(NATS_SUBJECT, STREAM) + "&durableName=" + durable + "&pullSubscription=false")
                        .routeId(routeId).autoStartup(false)
                        .process(exchange -> {
                            exchange.getIn().getBody(byte[].class);
                            if (seen.incrementAndGet() == count) {
                                done.countDown();
                            }
                        });
            }
        });
        long start = System.nanoTime();
        env.camel.getRouteController().startRoute(routeId);
        try {
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("camel-nats push consumer got " + seen.get() + " of " + count);
            }
            return count / ((System.nanoTime() - start) / 1e9);
        } finally {
            env.camel.getRouteController().stopRoute(routeId);
            env.camel.removeRoute(routeId);
            try {
                env.jsm().deleteConsumer(STREAM, durable + "-durable");
            } catch (Exception ignored) {
                // named by camel-nats; gone with the stream anyway
            }
        }
    }
}
