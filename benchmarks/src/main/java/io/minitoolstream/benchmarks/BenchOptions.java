package io.minitoolstream.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Command line: {@code [--quick] [--large] [--out DIR] [scenario ...]} with scenarios p1 p2 p3 p4 p5 baselines. */
final class BenchOptions {

    static final List<String> ALL = List.of("baselines", "p1", "p2", "p3", "p4", "p5");

    final Set<String> scenarios = new LinkedHashSet<>();
    boolean quick;
    boolean large;
    Path out = Path.of("benchmarks", "results");
    /** Extra query options for the P2 consumer route, e.g. to measure a new consumer option. */
    String consumerOptions = "";
    String command;

    static BenchOptions parse(String[] args) {
        BenchOptions options = new BenchOptions();
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> options.quick = true;
                case "--large" -> options.large = true;
                case "--out" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--out needs a directory");
                    }
                    options.out = Path.of(args[++i]);
                }
                case "--consumer-options" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--consumer-options needs a query, e.g. a=1&b=2");
                    }
                    options.consumerOptions = args[++i];
                }
                case "-h", "--help" -> {
                    usage();
                    System.exit(0);
                }
                default -> {
                    String name = arg.toLowerCase(java.util.Locale.ROOT);
                    if (name.equals("all")) {
                        chosen.addAll(ALL);
                    } else if (ALL.contains(name)) {
                        chosen.add(name);
                    } else {
                        usage();
                        throw new IllegalArgumentException("unknown argument '" + arg + "'");
                    }
                }
            }
        }
        // always in the canonical order
        for (String name : ALL) {
            if (chosen.isEmpty() || chosen.contains(name)) {
                options.scenarios.add(name);
            }
        }
        options.command = "bin/bench " + String.join(" ", args);
        return options;
    }

    static void usage() {
        System.err.println("""
                usage: bin/bench [--quick] [--large] [--out DIR] [--consumer-options Q] [scenario ...]
                  scenarios: baselines p1 p2 p3 p4 p5 (default: all)
                  --quick   short windows (1 s) and smaller counts: a smoke run, noisier numbers
                  --large   P4 also runs 1 GB messages (forked JVM with -Xmx256m; takes minutes)
                  --out DIR where the results go (default benchmarks/results)
                  --consumer-options Q  extra minitoolstream: options for the P2 consumer (a=1&b=2)""");
    }

    /** Baselines: one warm-up window, then consecutive measured windows. */
    Timing throughputTiming() {
        return quick ? new Timing(Duration.ofSeconds(1), 3, Duration.ofSeconds(1))
                : new Timing(Duration.ofSeconds(2), 3, Duration.ofSeconds(2));
    }

    /** Comparisons (P1, P3): windows of each side alternate; see {@link Load#interleaved}. */
    Timing comparisonTiming() {
        return quick ? new Timing(Duration.ofMillis(300), 3, Duration.ofSeconds(1))
                : new Timing(Duration.ofMillis(500), 3, Duration.ofSeconds(2));
    }

    /** Warm-up of each side before the first measured window of a comparison. */
    Duration firstWarmup() {
        return Duration.ofSeconds(quick ? 1 : 3);
    }

    /** Messages pre-filled for, and consumed by, each P2 run. */
    int consumeCount() {
        return quick ? 5_000 : 20_000;
    }

    Duration latencyWarmup() {
        return Duration.ofSeconds(quick ? 1 : 2);
    }

    Duration latencyRun() {
        return Duration.ofSeconds(quick ? 2 : 5);
    }

    int runs() {
        return 3;
    }
}
