package io.minitoolstream.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of the results: MiniToolStream's median next to its peer's median, measured in the same run, and the
 * target it is judged against.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
final class Row {

    public String scenario;
    public String name;
    public String unit;
    /** MiniToolStream's median over the measured runs. */
    public Double ours;
    public List<Double> oursRuns;
    public String peer;
    public Double peerValue;
    public List<Double> peerRuns;
    /** ours / peer (throughput: above 1 means faster than the peer). */
    public Double ratio;
    public String target;
    public Boolean met;
    public Long errors;
    public String error;
    public Map<String, Object> details = new LinkedHashMap<>();

    Row(String scenario, String name, String unit) {
        this.scenario = scenario;
        this.name = name;
        this.unit = unit;
    }

    Row ours(List<Double> runs) {
        oursRuns = rounded(runs);
        ours = Stats.round(Stats.median(runs), 2);
        return this;
    }

    Row ours(Load.Outcome outcome) {
        addErrors(outcome, "ours");
        return ours(outcome.rates());
    }

    Row peer(String name, List<Double> runs) {
        peer = name;
        peerRuns = rounded(runs);
        peerValue = Stats.round(Stats.median(runs), 2);
        if (ours != null && peerValue != null && peerValue > 0) {
            ratio = Stats.round(Stats.median(runs) == 0 ? Double.NaN : ours / peerValue, 3);
        }
        return this;
    }

    Row peer(String name, Load.Outcome outcome) {
        addErrors(outcome, "peer");
        return peer(name, outcome.rates());
    }

    /** Judges the row: at least {@code minRatio} times the peer and at least {@code minValue} (null: no bound). */
    Row atLeast(Double minRatio, Double minValue, String target) {
        this.target = target;
        boolean ok = true;
        if (minRatio != null) {
            ok = ratio != null && ratio >= minRatio;
        }
        if (minValue != null) {
            ok = ok && ours != null && ours >= minValue;
        }
        met = ok;
        return this;
    }

    Row atMost(double maxValue, String target) {
        this.target = target;
        met = ours != null && ours <= maxValue;
        return this;
    }

    Row detail(String key, Object value) {
        details.put(key, value instanceof Double d ? Stats.round(d, 3) : value);
        return this;
    }

    static Row failed(String scenario, String name, Throwable failure) {
        Row row = new Row(scenario, name, null);
        row.error = Load.describe(failure);
        row.met = false;
        return row;
    }

    private void addErrors(Load.Outcome outcome, String side) {
        if (outcome.errors() > 0) {
            errors = (errors == null ? 0 : errors) + outcome.errors();
            details.put(side + "FirstError", outcome.firstError());
        }
    }

    private static List<Double> rounded(List<Double> values) {
        return values.stream().map(v -> Stats.round(v, 2)).toList();
    }
}
