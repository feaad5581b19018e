package io.minitoolstream.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Writes the results as JSON and as a Markdown page that links the charts. */
final class Report {

    private Report() {
    }

    static void writeJson(Results results, Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), results);
    }

    static String markdown(Results results) {
        StringBuilder md = new StringBuilder();
        md.append("# MiniToolStream benchmark: ").append(results.date).append(", ").append(results.host)
                .append("\n\n");
        md.append("`").append(results.command).append("` (").append(results.mode).append(" mode), ")
                .append(results.started).append(" to ").append(results.finished).append(".\n");
        md.append("Machine: ").append(results.machine.get("cpus")).append(" CPUs (")
                .append(results.machine.get("cpuModel")).append("), ").append(results.machine.get("memory"))
                .append(" RAM, ").append(results.machine.get("os")).append(", Java ")
                .append(results.machine.get("java")).append(".\n");
        md.append("Load average (1/5/15 min) at start `").append(results.loadavgStart).append("`, at end `")
                .append(results.loadavgEnd).append("`.\n");
        md.append("Versions: ");
        md.append(String.join(", ", results.versions.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).toList())).append(".\n\n");
        md.append("Every number is the median of ").append(results.settings.get("runs"))
                .append(" measured runs after a warm-up; peers are measured in the same run, on the same machine.\n\n");

        md.append("## Throughput against the peers (P1-P4)\n\n");
        md.append("| | Case | MiniToolStream | Peer | Peer value | Ratio | Target | Met |\n");
        md.append("|---|---|---:|---|---:|---:|---|:---:|\n");
        for (Row row : select(results.rows, r -> r.scenario.matches("P[1-4]") && !"MB".equals(r.unit))) {
            md.append("| ").append(row.scenario).append(" | ").append(row.name).append(" | ")
                    .append(value(row.ours, row.unit)).append(" | ").append(nz(row.peer)).append(" | ")
                    .append(value(row.peerValue, row.unit)).append(" | ")
                    .append(row.ratio == null ? "" : String.format(Locale.ROOT, "%.2fx", row.ratio)).append(" | ")
                    .append(nz(row.target)).append(" | ").append(met(row)).append(" |\n");
        }
        List<Row> heap = select(results.rows, r -> "P4".equals(r.scenario) && "MB".equals(r.unit));
        if (!heap.isEmpty()) {
            md.append("\n## Memory with large messages (P4, forked JVM per size and system)\n\n");
            md.append("| Case | Heap peak (sampled) | Heap peak after GC | RSS peak (VmHWM) | Raw MinIO heap peak"
                      + " | Raw MinIO RSS peak | Target | Met |\n");
            md.append("|---|---:|---:|---:|---:|---:|---|:---:|\n");
            for (Row row : heap) {
                md.append("| ").append(row.name).append(" | ").append(value(row.ours, "MB")).append(" | ")
                        .append(value(num(row.details.get("heapAfterGcPeakMB")), "MB")).append(" | ")
                        .append(value(num(row.details.get("rssPeakMB")), "MB")).append(" | ")
                        .append(value(row.peerValue, "MB")).append(" | ")
                        .append(value(num(row.details.get("peerRssPeakMB")), "MB")).append(" | ")
                        .append(nz(row.target)).append(" | ").append(met(row)).append(" |\n");
            }
        }
        List<Row> latency = select(results.rows, r -> "P5".equals(r.scenario));
        if (!latency.isEmpty()) {
            md.append("\n## Latency at a fixed rate (P5)\n\n");
            md.append("| Case | p50 | p95 | p99 | max | samples | Target | Met |\n");
            md.append("|---|---:|---:|---:|---:|---:|---|:---:|\n");
            for (Row row : latency) {
                if (row.error != null) {
                    md.append("| ").append(row.name).append(" | failed: ").append(row.error)
                            .append(" | | | | | | ✗ |\n");
                    continue;
                }
                md.append("| ").append(row.name).append(" | ").append(ms(row.details.get("p50"))).append(" | ")
                        .append(ms(row.details.get("p95"))).append(" | ").append(ms(row.details.get("p99")))
                        .append(" | ").append(ms(row.details.get("max"))).append(" | ")
                        .append(row.details.get("samples")).append(" | ").append(nz(row.target)).append(" | ")
                        .append(met(row)).append(" |\n");
            }
        }
        List<Row> baselines = select(results.rows, r -> "B".equals(r.scenario));
        if (!baselines.isEmpty()) {
            md.append("\n## Baselines (the building blocks alone)\n\n");
            md.append("| Baseline | Median | Runs |\n|---|---:|---|\n");
            for (Row row : baselines) {
                md.append("| ").append(row.name).append(" | ").append(value(row.ours, row.unit)).append(" | ")
                        .append(row.oursRuns == null ? nz(row.error) : row.oursRuns).append(" |\n");
            }
        }
        List<Row> failed = select(results.rows, r -> r.error != null || (r.errors != null && r.errors > 0));
        if (!failed.isEmpty()) {
            md.append("\n## Errors\n\n");
            for (Row row : failed) {
                md.append("- ").append(row.scenario).append(" ").append(row.name).append(": ")
                        .append(row.error != null ? row.error : row.errors + " failed operations " + row.details)
                        .append("\n");
            }
        }
        if (!results.charts.isEmpty()) {
            md.append("\n## Charts\n\n");
            for (Map.Entry<String, String> chart : results.charts.entrySet()) {
                md.append("![").append(chart.getKey()).append("](").append(chart.getValue()).append(")\n\n");
            }
        }
        if (!results.notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            results.notes.forEach(note -> md.append("- ").append(note).append("\n"));
        }
        return md.toString();
    }

    static void writeMarkdown(Results results, Path file) throws IOException {
        Files.writeString(file, markdown(results));
    }

    private static List<Row> select(List<Row> rows, Predicate<Row> filter) {
        return rows.stream().filter(filter).toList();
    }

    private static String met(Row row) {
        if (row.error != null) {
            return "✗ (failed)";
        }
        return row.met == null ? "" : row.met ? "✓" : "✗";
    }

    private static String value(Double value, String unit) {
        if (value == null || value.isNaN()) {
            return "";
        }
        String number = value >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
        return number + " " + (unit == null ? "" : unit);
    }

    private static String ms(Object value) {
        Double number = num(value);
        return number == null ? "" : String.format(Locale.ROOT, "%.2f ms", number);
    }

    private static Double num(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }

    private static String nz(String text) {
        return text == null ? "" : text;
    }
}
