package io.minitoolstream.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.File;
import java.io.IOException;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** PNG charts of the results, rendered headless with JFreeChart. */
final class Charts {

    private static final Color OURS = new Color(0x1f, 0x77, 0xb4);
    private static final Color PEER = new Color(0xff, 0x7f, 0x0e);
    private static final Color[] SERIES = {OURS, PEER, new Color(0x2c, 0xa0, 0x2c), new Color(0xd6, 0x27, 0x28),
        new Color(0x94, 0x67, 0xbd), new Color(0x8c, 0x56, 0x4b)};
    private static final double[] PERCENTILES = {50, 90, 95, 99, 99.9};

    private Charts() {
    }

    /** Throughput of each P1-P3 case next to its peer (log scale). */
    static boolean throughput(List<Row> rows, File file) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Row row : rows) {
            if (row.ours == null || row.peerValue == null || !row.scenario.matches("P[123]")
                    || row.name.contains("(reference)")) {
                continue;
            }
            String category = row.scenario + " " + shorten(row.name);
            data.addValue(row.ours, "MiniToolStream", category);
            data.addValue(row.peerValue, "peer (" + peerKind(row.scenario) + ")", category);
        }
        if (data.getColumnCount() == 0) {
            return false;
        }
        JFreeChart chart = bars("Throughput vs peer (median of 3 runs, log scale)", "msg/s", data, true, "#,##0");
        ChartUtils.saveChartAsPNG(file, chart, 1100, 600);
        return true;
    }

    /** MiniToolStream / peer for every judged row, with the 1.0x line. */
    static boolean ratios(List<Row> rows, File file) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Row row : rows) {
            if (row.ratio == null || row.target == null || row.unit == null || row.unit.equals("MB")) {
                continue;
            }
            data.addValue(row.ratio, "MiniToolStream / peer", row.scenario + " " + shorten(row.name));
        }
        if (data.getColumnCount() == 0) {
            return false;
        }
        JFreeChart chart = bars("Ratio to peer, same run (1.0 = as fast as the peer)", "ratio", data, false, "0.00");
        CategoryPlot plot = chart.getCategoryPlot();
        ValueMarker one = new ValueMarker(1.0, Color.BLACK, new BasicStroke(1.5f));
        plot.addRangeMarker(one);
        ValueMarker pointNine = new ValueMarker(0.9, Color.GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
        plot.addRangeMarker(pointNine);
        ChartUtils.saveChartAsPNG(file, chart, 1100, 600);
        return true;
    }

    /** P4 MB/s, MiniToolStream next to raw S3. */
    static boolean large(List<Row> rows, File file) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Row row : rows) {
            if (!"P4".equals(row.scenario) || !"MB/s".equals(row.unit) || row.ours == null) {
                continue;
            }
            data.addValue(row.ours, "MiniToolStream", row.name);
            if (row.peerValue != null) {
                data.addValue(row.peerValue, "raw MinIO client", row.name);
            }
        }
        if (data.getColumnCount() == 0) {
            return false;
        }
        JFreeChart chart = bars("Large messages: MB/s (median of 3 runs)", "MB/s", data, false, "#,##0");
        ChartUtils.saveChartAsPNG(file, chart, 1000, 550);
        return true;
    }

    /** P5 percentiles of every latency kind (all measured runs merged), log scale. */
    static boolean latency(Map<String, Histogram> histograms, File file) throws IOException {
        if (histograms.isEmpty()) {
            return false;
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (var entry : histograms.entrySet()) {
            Histogram h = entry.getValue();
            for (double p : PERCENTILES) {
                data.addValue(Math.max(0.001, h.getValueAtPercentile(p) / 1e6), entry.getKey(), "p" + trim(p));
            }
            data.addValue(Math.max(0.001, h.getMaxValue() / 1e6), entry.getKey(), "max");
        }
        JFreeChart chart = bars("Latency at " + P5Latency.RATE + " msg/s, 1 KB (ms, log scale; intended-time based)",
                "ms", data, true, "0.00");
        ChartUtils.saveChartAsPNG(file, chart, 1100, 600);
        return true;
    }

    private static JFreeChart bars(String title, String unit, DefaultCategoryDataset data, boolean log,
                                   String labelFormat) {
        JFreeChart chart = ChartFactory.createBarChart(title, null, unit, data, PlotOrientation.VERTICAL, true,
                false, false);
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, SERIES[i % SERIES.length]);
        }
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                new DecimalFormat(labelFormat)));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        if (log) {
            LogAxis axis = new LogAxis(unit);
            axis.setBase(10);
            axis.setSmallestValue(1e-3);
            axis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
            axis.setTickUnit(new NumberTickUnit(1.0)); // one tick per power of ten
            plot.setRangeAxis(axis);
            renderer.setBase(1e-3);
            renderer.setIncludeBaseInRange(false);
        } else {
            ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        }
        CategoryAxis categories = plot.getDomainAxis();
        categories.setCategoryLabelPositions(CategoryLabelPositions.createUpRotationLabelPositions(Math.PI / 6));
        categories.setMaximumCategoryLabelLines(2);
        categories.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        return chart;
    }

    private static String peerKind(String scenario) {
        return switch (scenario) {
            case "P1", "P2" -> "JetStream";
            default -> "raw S3";
        };
    }

    private static String shorten(String name) {
        return name.replace("publish ", "pub ").replace(" senders", "x").replace(" sender", "x")
                .replace("durable consume", "consume").replace(" (at-least-once)", "")
                .replace(" messages", "");
    }

    private static String trim(double p) {
        return p == Math.floor(p) ? Long.toString((long) p) : Double.toString(p);
    }
}
