package io.minitoolstream.benchmarks;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minitoolstream.camel.MiniToolStreamConstants;
import io.minitoolstream.camel.store.s3.MinioPayloadStore;
import io.minitoolstream.camel.store.s3.S3Settings;
import io.minitoolstream.devservices.GeneratedStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * One P4 measurement in its own JVM (forked by {@link P4Large} with {@code -Xmx256m}), so heap and RSS peaks belong
 * to one system and one size: {@code mts} publishes through the component and consumes with a durable route,
 * {@code raw} puts and gets with the MinIO client directly. Bodies are {@link GeneratedStream}s, never held in
 * memory. The servers run in the parent; their addresses and credentials come in {@code BENCH_*} environment
 * variables. Prints one line {@code P4RESULT <json>} on stdout.
 */
public final class P4Main {

    static final String RESULT_PREFIX = "P4RESULT ";
    private static final int BUFFER = 64 * 1024;
    /** Enough calls for the JIT to compile the per-message path (C1 after ~200, C2 after ~5,000 with loops). */
    private static final int JIT_WARMUP_MESSAGES = 2_000;
    private static final long JIT_WARMUP_BYTES = 1024;
    /** The component's part size for streams of unknown length; the raw peer uses the same. */
    private static final long PART = MinioPayloadStore.UNKNOWN_SIZE_PART_BYTES;

    private final String mode;
    private final long size;
    private final int count;
    private final int runs;
    private final long warmupSize;
    private final int warmupCount;
    private final S3Settings s3;
    private final MinioClient minio;
    private final String runTag = Long.toString(ProcessHandle.current().pid());

    private P4Main(String mode, long size, int count, int runs, long warmupSize, int warmupCount, S3Settings s3) {
        this.mode = mode;
        this.size = size;
        this.count = count;
        this.runs = runs;
        this.warmupSize = warmupSize;
        this.warmupCount = warmupCount;
        this.s3 = s3;
        this.minio = io.minitoolstream.camel.store.s3.S3Clients.create(s3);
    }

    public static void main(String[] args) throws Exception {
        String mode = env("BENCH_P4_MODE");
        long size = Long.parseLong(env("BENCH_P4_SIZE"));
        int count = Integer.parseInt(env("BENCH_P4_COUNT"));
        int runs = Integer.parseInt(env("BENCH_P4_RUNS"));
        S3Settings s3 = new S3Settings(env("BENCH_S3_ENDPOINT"), env("BENCH_S3_REGION"), env("BENCH_S3_ACCESS_KEY"),
                env("BENCH_S3_SECRET_KEY"), BenchEnv.BUCKET, true);
        P4Main p4 = new P4Main(mode, size, count, runs, Long.parseLong(env("BENCH_P4_WARMUP_SIZE")),
                Integer.parseInt(env("BENCH_P4_WARMUP_COUNT")), s3);
        Map<String, Object> result;
        try {
            result = p4.run();
        } finally {
            S3Clients.close(p4.minio);
        }
        System.out.println(RESULT_PREFIX + new ObjectMapper().writeValueAsString(result));
        System.out.flush();
        // OkHttp keeps the JVM alive for a minute after main: the result is out, leave now.
        System.exit(0);
    }

    private Map<String, Object> run() throws Exception {
        S3Clients.ensureBucket(minio, BenchEnv.BUCKET);
        CamelContext camel = null;
        ProducerTemplate template = null;
        if (mode.equals("mts")) {
            camel = new DefaultCamelContext();
            camel.setStreamCaching(false);
            camel.addComponent("minitoolstream", BenchEnv.component(env("BENCH_TARANTOOL_ADDRESS"),
                    env("BENCH_TARANTOOL_USER"), env("BENCH_TARANTOOL_PASSWORD"), s3.endpoint(), s3.region(),
                    s3.accessKey(), s3.secretKey()));
            camel.start();
            template = camel.createProducerTemplate();
        } else if (!mode.equals("raw")) {
            throw new IllegalArgumentException("BENCH_P4_MODE must be mts or raw, was " + mode);
        }
        compilePerMessageCode(camel, template);
        System.gc();
        long heapIdle = MemoryWatch.heapUsed();
        long rssIdle = MemoryWatch.procStatus("VmRSS");
        List<Double> publish = new ArrayList<>();
        List<Double> consume = new ArrayList<>();
        boolean verified;
        try (MemoryWatch watch = new MemoryWatch()) {
            watch.resetPeaks();
            verified = true;
            for (int run = 0; run <= runs; run++) {
                boolean warmup = run == 0;
                // the warm-up exercises the same code with fewer bytes; the peaks include it
                long size = warmup ? warmupSize : this.size;
                int count = warmup ? warmupCount : this.count;
                String subject = "bench-p4-" + Payloads.label(size).replace(" ", "") + "-" + runTag + "-r" + run;
                List<String> digests = new ArrayList<>();
                List<String> objects = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    GeneratedStream body = new GeneratedStream(size, seed(run, i));
                    objects.add(publishOne(template, "minitoolstream:" + subject, subject + "/" + i, body));
                    if (body.position() != size) {
                        throw new IllegalStateException("published " + body.position() + " of " + size + " bytes");
                    }
                    digests.add(body.sha256());
                }
                double publishSeconds = (System.nanoTime() - start) / 1e9;
                double consumeSeconds;
                if (camel != null) {
                    consumeSeconds = consumeRoute(camel, subject, digests, warmup);
                } else {
                    start = System.nanoTime();
                    for (int i = 0; i < count; i++) {
                        try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(BenchEnv.BUCKET)
                                .object(objects.get(i)).build())) {
                            String digest = drain(in, warmup);
                            if (warmup && !digest.equals(digests.get(i))) {
                                verified = false;
                            }
                        }
                    }
                    consumeSeconds = (System.nanoTime() - start) / 1e9;
                }
                double megabytes = (double) size * count / (1024 * 1024);
                Log.info("  P4 %s %s %s: publish %.1f MB/s, consume %.1f MB/s, heap peak %d MB", mode,
                        Payloads.label(size), warmup ? "warm-up" : "run " + run, megabytes / publishSeconds,
                        megabytes / consumeSeconds, watch.sampledPeak() >> 20);
                if (!warmup) {
                    publish.add(megabytes / publishSeconds);
                    consume.add(megabytes / consumeSeconds);
                }
                for (String object : objects) {
                    if (object != null) {
                        minio.removeObject(RemoveObjectArgs.builder().bucket(BenchEnv.BUCKET).object(object).build());
                    }
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("mode", mode);
            result.put("size", size);
            result.put("count", count);
            result.put("publishMBps", publish);
            result.put("consumeMBps", consume);
            result.put("verified", verified);
            result.put("heapMax", MemoryWatch.heapMax());
            result.put("heapIdle", heapIdle);
            result.put("heapSampledPeak", watch.sampledPeak());
            result.put("heapAfterGcPeak", watch.afterGcPeak());
            result.put("heapPoolPeakSum", watch.poolPeakSum());
            result.put("rssIdle", rssIdle);
            result.put("rssPeak", MemoryWatch.procStatus("VmHWM"));
            return result;
        } finally {
            if (camel != null) {
                camel.close();
            }
        }
    }

    /**
     * A fork runs the per-message code (Camel's exchange and routing, the Tarantool driver, the S3 client's request
     * building) only a few hundred times with 1 MB messages: below the JIT's compile thresholds, so it would be
     * measured interpreted, unlike in a service that has been running. Both modes therefore first move
     * {@value #JIT_WARMUP_MESSAGES} small messages through object storage and back on the same code path
     * (mts: published with inlineThreshold=0 and consumed by a durable route; raw: PUT and GET); their bytes and
     * time are not counted.
     */
    private void compilePerMessageCode(CamelContext camel, ProducerTemplate template) throws Exception {
        String subject = "bench-p4-jit-" + runTag;
        List<String> objects = new ArrayList<>();
        for (int i = 0; i < JIT_WARMUP_MESSAGES; i++) {
            objects.add(publishOne(template, "minitoolstream:" + subject + "?inlineThreshold=0", subject + "/" + i,
                    new GeneratedStream(JIT_WARMUP_BYTES, i)));
        }
        if (camel != null) {
            consumeRoute(camel, subject, java.util.Collections.nCopies(objects.size(), ""), false);
        } else {
            for (String object : objects) {
                try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(BenchEnv.BUCKET).object(object)
                        .build())) {
                    drain(in, false);
                }
            }
        }
        for (String object : objects) {
            minio.removeObject(RemoveObjectArgs.builder().bucket(BenchEnv.BUCKET).object(object).build());
        }
    }

    /**
     * Publishes {@code body}: through the component's {@code endpointUri} when there is a template (mts), else a raw
     * streaming PUT to {@code rawObject}. Returns the object the payload went to.
     */
    private String publishOne(ProducerTemplate template, String endpointUri, String rawObject, InputStream body)
            throws Exception {
        if (template == null) {
            minio.putObject(PutObjectArgs.builder().bucket(BenchEnv.BUCKET).object(rawObject)
                    .stream(body, -1, PART).contentType("application/octet-stream").build());
            return rawObject;
        }
        Exchange sent = template.send(endpointUri, exchange -> exchange.getIn().setBody(body));
        if (sent.getException() != null) {
            throw sent.getException();
        }
        return sent.getIn().getHeader(MiniToolStreamConstants.OBJECT_NAME, String.class);
    }

    /** A durable route consumes the run's subject; seconds from route start to the last payload drained. */
    private double consumeRoute(CamelContext camel, String subject, List<String> digests, boolean verify)
            throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger seen = new AtomicInteger();
        AtomicReference<String> mismatch = new AtomicReference<>();
        String routeId = "p4-" + subject;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("minitoolstream:" + subject + "?durable=p4&delay=1&initialDelay=0&greedy=true")
                        .routeId(routeId).autoStartup(false)
                        .process(exchange -> {
                            int index = seen.get();
                            try (InputStream in = exchange.getIn().getMandatoryBody(InputStream.class)) {
                                String digest = drain(in, verify);
                                if (verify && !digest.equals(digests.get(index))) {
                                    mismatch.compareAndSet(null, "message " + index);
                                }
                            }
                            if (seen.incrementAndGet() == digests.size()) {
                                done.countDown();
                            }
                        });
            }
        });
        long start = System.nanoTime();
        camel.getRouteController().startRoute(routeId);
        try {
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("consumed " + seen.get() + " of " + digests.size());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (mismatch.get() != null) {
                throw new IllegalStateException("payload differs from what was published: " + mismatch.get());
            }
            return seconds;
        } finally {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        }
    }

    /** Reads the stream to its end; with {@code digest}, returns its SHA-256 (hex), else "". */
    static String drain(InputStream in, boolean digest) throws Exception {
        MessageDigest sha = digest ? MessageDigest.getInstance("SHA-256") : null;
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (sha != null) {
                sha.update(buffer, 0, n);
            }
        }
        return sha == null ? "" : HexFormat.of().formatHex(sha.digest());
    }

    private static long seed(int run, int index) {
        return 1_000_003L * (run + 1) + index;
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }
}
