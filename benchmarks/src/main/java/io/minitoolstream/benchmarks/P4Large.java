package io.minitoolstream.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * P4: 1 MB and 100 MB messages (and 1 GB with {@code --large}) published and consumed, one forked JVM
 * ({@code -Xmx256m}) per size, system and round, so heap and RSS peaks are clean; the peaks reported are the
 * largest of a size's JVMs. Peer: the raw MinIO client streaming
 * the same bytes (unknown length, the same 10 MB parts) and getting them back.
 */
final class P4Large {

    static final String PEER = "raw MinioClient streaming put/get";
    static final String HEAP = "-Xmx256m";
    private static final long MB = 1024 * 1024;
    private static final long GB = 1024 * MB;
    /** What a run moves each way for small sizes: 1 MB messages go 128 at a time (100 MB ones 2 at a time). */
    private static final long BYTES_PER_RUN = 128 * MB;
    /** The warm-up in each forked JVM: the same code paths, fewer bytes. */
    private static final long WARMUP_BYTES = 64 * MB;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CHILD_TIMEOUT_MINUTES = 15;
    private static final int SMALL_SIZE_RUNS_PER_FORK = 3;

    private P4Large() {
    }

    static List<Row> run(BenchEnv env) throws Exception {
        List<Long> sizes = new ArrayList<>(List.of(MB, 100 * MB));
        if (env.options.large) {
            sizes.add(GB);
        }
        List<Row> rows = new ArrayList<>();
        for (long size : sizes) {
            String label = Payloads.label(size);
            int count = (int) Math.max(1, BYTES_PER_RUN / size);
            if (env.options.quick && size < 100 * MB) {
                count = Math.max(1, count / 4);
            }
            if (size == 100 * MB && !env.options.quick) {
                count = 2;
            }
            List<JsonNode> ours = new ArrayList<>();
            List<JsonNode> peer = new ArrayList<>();
            try {
                // one JVM per size, system and round, alternating (A B A B ...): drift and other load fall on both
                for (int round = 1; round <= env.options.runs(); round++) {
                    Log.info("P4 %s x %d, round %d: MiniToolStream (forked JVM, %s)", label, count, round, HEAP);
                    ours.add(fork(env, "mts", size, count));
                    Log.info("P4 %s x %d, round %d: %s (forked JVM, %s)", label, count, round, PEER, HEAP);
                    peer.add(fork(env, "raw", size, count));
                }
            } catch (Exception e) {
                rows.add(Row.failed("P4", label + " messages", e));
                continue;
            }
            rows.add(new Row("P4", "publish " + label + " messages", "MB/s").ours(doubles(ours, "publishMBps"))
                    .peer(PEER, doubles(peer, "publishMBps"))
                    .atLeast(0.9, null, ">= 0.9x raw S3")
                    .detail("messagesPerRun", count));
            rows.add(new Row("P4", "consume " + label + " messages", "MB/s").ours(doubles(ours, "consumeMBps"))
                    .peer(PEER, doubles(peer, "consumeMBps"))
                    .atLeast(0.9, null, ">= 0.9x raw S3")
                    .detail("messagesPerRun", count)
                    .detail("verified", all(ours, "verified") && all(peer, "verified")));
            Row heap = new Row("P4", "peak heap, " + label + " messages (" + HEAP + ")", "MB");
            heap.ours = mb(ours, "heapSampledPeak");
            heap.peer = PEER;
            heap.peerValue = mb(peer, "heapSampledPeak");
            heap.detail("heapAfterGcPeakMB", mb(ours, "heapAfterGcPeak"))
                    .detail("heapPoolPeakSumMB", mb(ours, "heapPoolPeakSum"))
                    .detail("heapIdleMB", mb(ours, "heapIdle"))
                    .detail("rssPeakMB", mb(ours, "rssPeak"))
                    .detail("rssIdleMB", mb(ours, "rssIdle"))
                    .detail("peerHeapAfterGcPeakMB", mb(peer, "heapAfterGcPeak"))
                    .detail("peerRssPeakMB", mb(peer, "rssPeak"))
                    .detail("measure", "heap used sampled every 2 ms (garbage included); afterGc = live after each GC");
            if (size >= GB) {
                heap.atMost(128, "<= 128 MB heap");
            }
            rows.add(heap);
            Log.info("P4 %s: publish %.1f vs %.1f MB/s, consume %.1f vs %.1f MB/s, heap %.0f MB (after GC %.0f),"
                     + " RSS %.0f MB", label, rows.get(rows.size() - 3).ours, rows.get(rows.size() - 3).peerValue,
                    rows.get(rows.size() - 2).ours, rows.get(rows.size() - 2).peerValue, heap.ours,
                    mb(ours, "heapAfterGcPeak"), mb(ours, "rssPeak"));
        }
        return rows;
    }

    private static JsonNode fork(BenchEnv env, String mode, long size, int count) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), HEAP, "-XX:+UseG1GC", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), P4Main.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> vars = builder.environment();
        vars.put("BENCH_P4_MODE", mode);
        vars.put("BENCH_P4_SIZE", Long.toString(size));
        vars.put("BENCH_P4_COUNT", Integer.toString(count));
        vars.put("BENCH_P4_RUNS", Integer.toString(runsPerFork(size)));
        long warmupSize = Math.min(size, WARMUP_BYTES);
        vars.put("BENCH_P4_WARMUP_SIZE", Long.toString(warmupSize));
        vars.put("BENCH_P4_WARMUP_COUNT", Long.toString(Math.max(1, Math.min(count, WARMUP_BYTES / warmupSize))));
        vars.put("BENCH_TARANTOOL_ADDRESS", env.services.tarantool().address());
        vars.put("BENCH_TARANTOOL_USER", env.services.tarantool().username());
        vars.put("BENCH_TARANTOOL_PASSWORD", env.services.tarantool().password());
        vars.put("BENCH_S3_ENDPOINT", env.services.s3().endpoint());
        vars.put("BENCH_S3_REGION", env.services.s3().region());
        vars.put("BENCH_S3_ACCESS_KEY", env.services.s3().accessKey());
        vars.put("BENCH_S3_SECRET_KEY", env.services.s3().secretKey());
        Process process = builder.start();
        // Read the child's stdout on its own thread, so a child that hangs cannot hang the harness.
        java.util.concurrent.atomic.AtomicReference<String> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(P4Main.RESULT_PREFIX)) {
                        result.set(line.substring(P4Main.RESULT_PREFIX.length()));
                    } else {
                        System.err.println("  [p4 " + mode + "] " + line);
                    }
                }
            } catch (java.io.IOException e) {
                // the child is gone
            }
        }, "p4-child-output");
        reader.setDaemon(true);
        reader.start();
        if (!process.waitFor(CHILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("P4 " + mode + " " + Payloads.label(size) + " JVM did not finish within "
                    + CHILD_TIMEOUT_MINUTES + " minutes; killed");
        }
        reader.join(10_000);
        if (result.get() == null) {
            throw new IllegalStateException("P4 " + mode + " " + Payloads.label(size) + " JVM exited with "
                    + process.exitValue() + " and no result");
        }
        return JSON.readTree(result.get());
    }

    /**
     * Measured runs in each forked JVM: one for 100 MB and more; three for smaller sizes, whose runs last well under
     * a second (32 MB with --quick), so one run per JVM was too noisy to compare two commits (1 MB consume spread
     * 0.57-1.11x of the peer over four quick runs of the same code).
     */
    static int runsPerFork(long size) {
        return size < 100 * MB ? SMALL_SIZE_RUNS_PER_FORK : 1;
    }

    /** The measured runs of every forked JVM, in order. */
    private static List<Double> doubles(List<JsonNode> nodes, String field) {
        List<Double> values = new ArrayList<>();
        for (JsonNode node : nodes) {
            node.path(field).forEach(value -> values.add(value.asDouble()));
        }
        return values;
    }

    private static boolean all(List<JsonNode> nodes, String field) {
        return nodes.stream().allMatch(node -> node.path(field).asBoolean());
    }

    /** The largest value over the forked JVMs, in MB. */
    private static double mb(List<JsonNode> nodes, String field) {
        return Stats.round(nodes.stream().mapToDouble(node -> node.path(field).asDouble()).max().orElse(Double.NaN)
                / MB, 1);
    }
}
