package io.minitoolstream.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.minio.MinioClient;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

/**
 * P5: latency at a fixed offered rate (1,000 msg/s), 1 KB, inline and through S3 ({@code inlineThreshold=0}).
 * Each message has an intended send time on a fixed schedule; latency is measured from that time, not from when
 * the send actually happened, so a stall counts against every message it delayed (no coordinated omission).
 * Publish latency: intended send -> the producer completed the exchange (sequence assigned). End-to-end: intended
 * send -> a durable consumer route has the message. The same publish measurement against camel-nats JetStream is
 * recorded for reference.
 */
final class P5Latency {

    static final int RATE = 1_000;
    static final String HEADER = "BenchIntendedNanos";
    private static final int SIZE = 1024;
    private static final String STREAM = "BENCH_P5";

    private P5Latency() {
    }

    static List<Row> run(BenchEnv env, Map<String, Histogram> chartData) throws Exception {
        List<Row> rows = new ArrayList<>();
        rows.addAll(measureMiniToolStream(env, "inline", "bench-p5-inline", "", 2.0, chartData));
        rows.addAll(measureMiniToolStream(env, "via S3", "bench-p5-s3", "inlineThreshold=0", 10.0, chartData));
        rows.add(measureJetStream(env, chartData));
        rows.add(measureRawS3(env, chartData));
        return rows;
    }

    private static List<Row> measureMiniToolStream(BenchEnv env, String path, String subject, String options,
                                                   double targetP99Ms, Map<String, Histogram> chartData)
            throws Exception {
        String producerUri = "minitoolstream:" + subject + (options.isEmpty() ? "" : "?" + options);
        String entry = "direct:p5-" + subject;
        env.route(entry, producerUri);
        AtomicReference<Recorder> e2e = new AtomicReference<>(new Recorder(3));
        AtomicLong received = new AtomicLong();
        String routeId = "p5-consumer-" + subject;
        env.camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("minitoolstream:" + subject + "?durable=p5&deliverPolicy=new&delay=1&initialDelay=0"
                     + "&greedy=true&maxMessagesPerPoll=1000" + (options.isEmpty() ? "" : "&" + options))
                        .routeId(routeId)
                        .process(exchange -> {
                            long now = System.nanoTime();
                            String intended = exchange.getIn().getHeader(HEADER, String.class);
                            exchange.getIn().getBody(byte[].class);
                            if (intended != null) {
                                e2e.get().recordValue(Math.max(0, now - Long.parseLong(intended)));
                            }
                            received.incrementAndGet();
                        });
            }
        });
        String name = "1 KB " + path + " at " + RATE + " msg/s";
        try {
            Load.sleep(200); // the consumer's first poll fixes its "new" position
            Sender sender = camel(env, env.camel.getEndpoint(entry), Payloads.random(SIZE, 5));
            Log.info("P5 %s: warm-up", name);
            Recorder publish = new Recorder(3);
            fixedRate(sender, env.options.latencyWarmup(), publish);
            awaitReceived(received, RATE * env.options.latencyWarmup().toSeconds());
            List<Histogram> publishRuns = new ArrayList<>();
            List<Histogram> e2eRuns = new ArrayList<>();
            for (int run = 1; run <= env.options.runs(); run++) {
                received.set(0);
                publish.getIntervalHistogram(); // drop the warm-up
                e2e.getAndSet(new Recorder(3));
                long sent = fixedRate(sender, env.options.latencyRun(), publish);
                awaitReceived(received, sent);
                publishRuns.add(publish.getIntervalHistogram());
                e2eRuns.add(e2e.get().getIntervalHistogram());
                Log.info("P5 %s run %d: publish p99 %.3f ms, end-to-end p99 %.3f ms", name, run,
                        ms(publishRuns.get(run - 1).getValueAtPercentile(99)),
                        ms(e2eRuns.get(run - 1).getValueAtPercentile(99)));
            }
            chartData.put("publish, " + path, merge(publishRuns));
            chartData.put("end-to-end, " + path, merge(e2eRuns));
            List<Row> rows = new ArrayList<>();
            rows.add(latencyRow("P5", "publish latency p99, " + name, publishRuns)
                    .atMost(targetP99Ms, "p99 <= " + (int) targetP99Ms + " ms"));
            rows.add(latencyRow("P5", "end-to-end latency p99, " + name, e2eRuns)
                    .detail("consumer", "durable, delay=1 ms, greedy (poll interval when idle: 1 ms)"));
            return rows;
        } finally {
            env.camel.getRouteController().stopRoute(routeId);
            env.camel.removeRoute(routeId);
        }
    }

    /** What the S3 server itself gives at this rate: raw PUTs of the same bytes on a pool of 64 threads. */
    private static Row measureRawS3(BenchEnv env, Map<String, Histogram> chartData) throws Exception {
        MinioClient client = S3Clients.noDelay(env.s3Settings());
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            S3Clients.ensureBucket(client, BenchEnv.BUCKET);
            byte[] body = Payloads.random(SIZE, 6);
            Sender put = intended -> CompletableFuture.runAsync(() -> {
                try {
                    S3Clients.put(client, BenchEnv.BUCKET, "bench-p5-raw/" + UUID.randomUUID(), body);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, pool);
            String name = "1 KB at " + RATE + " msg/s, raw MinioClient PUT, 64 threads (reference)";
            List<Histogram> runs = warmUpAndMeasure(env, name, put);
            chartData.put("raw S3 PUT (ref.)", merge(runs));
            return latencyRow("P5", "PUT latency p99, " + name, runs);
        } finally {
            pool.shutdownNow();
            S3Clients.close(client);
        }
    }

    /** A reference measurement: a warm-up, then the runs at the fixed rate, one histogram each. */
    private static List<Histogram> warmUpAndMeasure(BenchEnv env, String name, Sender sender) throws Exception {
        Log.info("P5 %s: warm-up", name);
        Recorder recorder = new Recorder(3);
        fixedRate(sender, env.options.latencyWarmup(), recorder);
        List<Histogram> runs = new ArrayList<>();
        for (int run = 1; run <= env.options.runs(); run++) {
            recorder.getIntervalHistogram();
            fixedRate(sender, env.options.latencyRun(), recorder);
            runs.add(recorder.getIntervalHistogram());
        }
        return runs;
    }

    private static Row measureJetStream(BenchEnv env, Map<String, Histogram> chartData) throws Exception {
        env.freshStream(STREAM, "bench.p5");
        try {
            env.route("direct:p5-nats", env.natsUri("bench.p5", STREAM));
            Sender sender = camel(env, env.camel.getEndpoint("direct:p5-nats"), Payloads.random(SIZE, 5));
            String name = "1 KB at " + RATE + " msg/s, camel-nats JetStream (reference)";
            List<Histogram> runs = warmUpAndMeasure(env, name, sender);
            chartData.put("publish, JetStream (ref.)", merge(runs));
            return latencyRow("P5", "publish latency p99, " + name, runs);
        } finally {
            env.deleteStream(STREAM);
        }
    }

    /** Starts one send; the future completes when it is done (a failed send fails the future). */
    interface Sender {
        CompletableFuture<?> send(long intendedNanos) throws Exception;
    }

    /**
     * Camel: the exchange (body, intended time as a header) sent asynchronously through the endpoint. The template
     * dispatches on the sending thread ({@code threadedAsyncMode=false}): an asynchronous producer returns at once,
     * so no thread pool hop is added to the latency.
     */
    static Sender camel(BenchEnv env, Endpoint endpoint, byte[] body) {
        ProducerTemplate template = env.camel.createProducerTemplate();
        template.setThreadedAsyncMode(false);
        return intended -> {
            Exchange exchange = endpoint.createExchange();
            exchange.getIn().setBody(body);
            exchange.getIn().setHeader(HEADER, Long.toString(intended));
            return template.asyncSend(endpoint, exchange).thenApply(done -> {
                if (done.getException() != null) {
                    throw new CompletionException(done.getException());
                }
                return done;
            });
        };
    }

    /**
     * Sends at {@link #RATE} msg/s for the duration, each send asynchronous, recording completion minus intended
     * send time. Returns the number sent, after every send has completed.
     */
    static long fixedRate(Sender sender, Duration duration, Recorder recorder) {
        long period = TimeUnit.SECONDS.toNanos(1) / RATE;
        long count = duration.toNanos() / period;
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        for (long i = 0; i < count; i++) {
            long intended = start + i * period;
            long now;
            while ((now = System.nanoTime()) < intended) {
                LockSupport.parkNanos(intended - now);
            }
            CompletableFuture<?> sent;
            try {
                sent = sender.send(intended);
            } catch (Exception e) {
                sent = CompletableFuture.failedFuture(e);
            }
            sent.whenComplete((done, error) -> {
                recorder.recordValue(Math.max(0, System.nanoTime() - intended));
                if (error != null) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, error);
                }
                completed.incrementAndGet();
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (completed.get() < count && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + count + " sends failed: "
                    + Load.describe(firstFailure.get()));
        }
        return count;
    }

    private static void awaitReceived(AtomicLong received, long expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        if (received.get() < expected) {
            Log.info("  the consumer got %d of %d messages within 10 s", received.get(), expected);
        }
    }

    static Row latencyRow(String scenario, String name, List<Histogram> runs) {
        List<Double> p50 = new ArrayList<>();
        List<Double> p95 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> max = new ArrayList<>();
        long samples = 0;
        for (Histogram h : runs) {
            p50.add(ms(h.getValueAtPercentile(50)));
            p95.add(ms(h.getValueAtPercentile(95)));
            p99.add(ms(h.getValueAtPercentile(99)));
            max.add(ms(h.getMaxValue()));
            samples += h.getTotalCount();
        }
        Map<String, Object> perRun = new LinkedHashMap<>();
        perRun.put("p50", p50);
        perRun.put("p95", p95);
        perRun.put("p99", p99);
        perRun.put("max", max);
        return new Row(scenario, name, "ms").ours(p99)
                .detail("p50", Stats.median(p50))
                .detail("p95", Stats.median(p95))
                .detail("p99", Stats.median(p99))
                .detail("max", Stats.median(max))
                .detail("samples", samples)
                .detail("runs", perRun);
    }

    static Histogram merge(List<Histogram> runs) {
        Histogram merged = new Histogram(3);
        runs.forEach(merged::add);
        return merged;
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
