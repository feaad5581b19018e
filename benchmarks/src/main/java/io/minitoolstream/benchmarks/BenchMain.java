package io.minitoolstream.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.HdrHistogram.Histogram;

/**
 * The benchmark harness: starts Tarantool and S3 (dev-services) and nats-server on loopback, runs the chosen
 * scenarios (each on its own, a failure is recorded and the next one runs), stops everything, and writes
 * {@code <date>-<host>.json}, {@code .md} and PNG charts into the results directory.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int status = run(options);
        // OkHttp's and the drivers' threads would keep the JVM up for a minute after main.
        System.exit(status);
    }

    static int run(BenchOptions options) throws Exception {
        Results results = new Results();
        results.date = LocalDate.now().toString();
        results.host = hostName();
        results.mode = options.quick ? "quick" : "full";
        results.command = options.command;
        results.started = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
        results.loadavgStart = loadAverage();
        machine(results);
        Timing timing = options.throughputTiming();
        results.settings.put("scenarios", List.copyOf(options.scenarios));
        results.settings.put("runs", timing.runs());
        results.settings.put("baselineWarmupSeconds", timing.warmup().toSeconds());
        results.settings.put("baselineWindowSeconds", timing.window().toSeconds());
        Timing comparison = options.comparisonTiming();
        results.settings.put("comparison", "P1/P3: sides alternate window by window (A B A B ...): "
                + options.firstWarmup().toSeconds() + " s warm-up per side (P3's first cell 3x), then "
                + comparison.runs() + " rounds of a " + comparison.window().toMillis() + " ms window after a "
                + comparison.warmup().toMillis() + " ms ramp");
        results.settings.put("p2MessagesPerRun", options.consumeCount());
        if (!options.consumerOptions.isBlank()) {
            results.settings.put("p2ExtraConsumerOptions", options.consumerOptions);
        }
        results.settings.put("p5RatePerSecond", P5Latency.RATE);
        results.settings.put("p5RunSeconds", options.latencyRun().toSeconds());
        results.settings.put("p4Sizes", options.large ? "1 MB, 100 MB, 1 GB" : "1 MB, 100 MB (1 GB with --large)");
        results.notes.addAll(notes());
        Log.info("MiniToolStream benchmarks (%s mode): %s; load average %s", results.mode, options.scenarios,
                results.loadavgStart);

        Map<String, Histogram> latencies = new LinkedHashMap<>();
        Set<String> chosen = options.scenarios;
        boolean withNats = chosen.contains("baselines") || chosen.contains("p1") || chosen.contains("p2")
                || chosen.contains("p5");
        int status = 0;
        try (BenchEnv env = BenchEnv.start(options, withNats)) {
            versions(results, env);
            for (String scenario : chosen) {
                long started = System.nanoTime();
                try {
                    List<Row> rows = switch (scenario) {
                        case "baselines" -> Baselines.run(env);
                        case "p1" -> P1Publish.run(env);
                        case "p2" -> P2Consume.run(env);
                        case "p3" -> P3S3Publish.run(env);
                        case "p4" -> P4Large.run(env);
                        case "p5" -> P5Latency.run(env, latencies);
                        default -> throw new IllegalArgumentException(scenario);
                    };
                    results.rows.addAll(rows);
                } catch (Exception | AssertionError e) {
                    status = 1;
                    Log.info("%s failed: %s", scenario, Load.describe(e));
                    e.printStackTrace();
                    results.rows.add(Row.failed(scenario.toUpperCase(), scenario + " did not complete", e));
                }
                Log.info("%s took %d s", scenario, (System.nanoTime() - started) / 1_000_000_000);
            }
        } catch (Exception | Error e) {
            status = 1;
            Log.info("the benchmark environment failed: %s", Load.describe(e));
            e.printStackTrace();
            results.rows.add(Row.failed("ENV", "starting the servers", e));
        } finally {
            results.finished = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
            results.loadavgEnd = loadAverage();
            write(results, options.out, latencies);
        }
        return status;
    }

    private static void write(Results results, Path out, Map<String, Histogram> latencies) throws IOException {
        Files.createDirectories(out);
        String base = results.date + "-" + results.host;
        chart(results, "throughput", out, base, file -> Charts.throughput(results.rows, file));
        chart(results, "ratios", out, base, file -> Charts.ratios(results.rows, file));
        chart(results, "large messages", out, base, file -> Charts.large(results.rows, file));
        chart(results, "latency", out, base, file -> Charts.latency(latencies, file));
        Path json = out.resolve(base + ".json");
        Path md = out.resolve(base + ".md");
        Report.writeJson(results, json);
        Report.writeMarkdown(results, md);
        System.out.println(Report.markdown(results));
        Log.info("results: %s, %s", json, md);
    }

    private interface ChartWriter {
        boolean write(File file) throws IOException;
    }

    private static void chart(Results results, String title, Path out, String base, ChartWriter writer) {
        String name = base + "-" + title.replace(' ', '-') + ".png";
        try {
            if (writer.write(out.resolve(name).toFile())) {
                results.charts.put(title, name);
            }
        } catch (Exception | Error e) {
            Log.info("chart %s failed: %s", title, e);
        }
    }

    private static List<String> notes() {
        return List.of(
                "Everything runs on one machine over loopback: Tarantool and nats-server as child processes, the S3"
                + " server (S3Proxy, filesystem-nio2) inside the benchmark JVM, so S3 work and the client compete"
                + " for the same CPUs. Both sides of every comparison share that handicap.",
                "Concurrency = threads calling ProducerTemplate.sendBody (one message in flight per thread) for both"
                + " MiniToolStream and camel-nats; P3 and the S3 peers use the same number of threads.",
                "P2 peer: camel-nats 4.17's JetStream pull consumer never pulls nor acks, so the peer is jnats"
                + " directly (durable pull consumer, explicit ack per message). Like ack(), MiniToolStream does not"
                + " hold delivery for the stored acknowledgement: at most one position write is in flight and"
                + " completions meanwhile fold into the next; a failed batch and a stop wait for it. ackSync() waits"
                + " for every ack (reference).",
                "Camel stream caching is off in the benchmark context: P4 payloads are read once, and caching would"
                + " spool every large payload to disk first.",
                "Tarantool (memtx, WAL write mode) and JetStream (file storage) both write to the same local disk"
                + " without fsync per message.",
                "The machine may be shared (other builds): the load average at start and end is recorded above.");
    }

    private static void machine(Results results) {
        results.machine.put("cpus", Runtime.getRuntime().availableProcessors());
        results.machine.put("cpuModel", firstMatch(Path.of("/proc/cpuinfo"), "model name"));
        String memTotal = firstMatch(Path.of("/proc/meminfo"), "MemTotal");
        results.machine.put("memory", memTotal == null ? "?" : (Long.parseLong(memTotal.replaceAll("\\D", ""))
                / 1024 / 1024) + " GB");
        results.machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        results.machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }

    private static void versions(Results results, BenchEnv env) {
        results.versions.put("Camel", env.camel.getVersion());
        results.versions.put("Tarantool", command("tarantool", "--version"));
        if (env.nats != null) {
            results.versions.put("nats-server", env.nats.version().replace("nats-server: ", ""));
        }
        results.versions.put("camel-nats", mavenVersion("org.apache.camel", "camel-nats"));
        results.versions.put("jnats", mavenVersion("io.nats", "jnats"));
        results.versions.put("cartridge-driver", mavenVersion("io.tarantool", "cartridge-driver"));
        results.versions.put("minio", mavenVersion("io.minio", "minio"));
        results.versions.put("S3Proxy", mavenVersion("org.gaul", "s3proxy") + " (in-process)");
    }

    /** The version in a jar's META-INF/maven pom.properties, or its manifest's, or "?". */
    static String mavenVersion(String groupId, String artifactId) {
        String resource = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (var in = BenchMain.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                java.util.Properties properties = new java.util.Properties();
                properties.load(in);
                return properties.getProperty("version", "?");
            }
        } catch (IOException ignored) {
            // fall through
        }
        // jars without Maven metadata: the version in the jar's file name (lib/<artifact>-<version>.jar)
        String classPath = System.getProperty("java.class.path");
        List<Path> jars = new java.util.ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            jars.add(path);
            Path lib = path.resolveSibling("lib");
            if (Files.isDirectory(lib)) {
                try (var files = Files.list(lib)) {
                    files.forEach(jars::add);
                } catch (IOException ignored) {
                    // no listing
                }
            }
        }
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            if (name.startsWith(artifactId + "-") && name.endsWith(".jar")
                    && Character.isDigit(name.charAt(artifactId.length() + 1))) {
                return name.substring(artifactId.length() + 1, name.length() - 4);
            }
        }
        return "?";
    }

    private static String command(String... command) {
        try {
            String output = NatsServer.run(command).strip();
            int newline = output.indexOf('\n');
            return newline < 0 ? output : output.substring(0, newline);
        } catch (Exception e) {
            return "?";
        }
    }

    private static String firstMatch(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "localhost";
            }
        }
        name = name.split("\\.")[0].replaceAll("[^A-Za-z0-9_-]", "-");
        return name.isEmpty() ? "localhost" : name;
    }
}
