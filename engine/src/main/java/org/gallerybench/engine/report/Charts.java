package org.gallerybench.engine.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.gallerybench.engine.run.EnvironmentResult;
import org.gallerybench.engine.load.LoadTick;
import org.gallerybench.engine.run.ResourcePoint;
import org.gallerybench.engine.run.RunResult;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import java.awt.Color;
import java.awt.Font;
import java.awt.Stroke;
import java.util.function.ToDoubleFunction;
import org.gallerybench.engine.run.Fingerprint;
import org.jfree.chart.title.TextTitle;

/**
 * The four charts of a run (CPU, memory, latency percentiles, throughput), drawn with JFreeChart. They need no
 * display: {@link ChartUtils} renders them headless to PNG at the size the caller asks.
 */
public final class Charts {
    /** The charts, in the order the dashboard shows them. */
    public enum Kind {
        CPU("cpu", "CPU", "CPU % (100 = one core)"),
        MEMORY("memory", "Memory", "MiB"),
        LATENCY("latency", "Latency p50 / p95 / p99", "ms"),
        THROUGHPUT("throughput", "Throughput", "requests/s");

        public final String file;
        public final String title;
        public final String unit;

        Kind(String file, String title, String unit) {
            this.file = file;
            this.title = title;
            this.unit = unit;
        }
    }

    private Charts() {
    }

    /** An empty chart of this kind for app {@code app}, styled; the dashboard fills its series live. */
    public static JFreeChart empty(Kind kind, XYSeriesCollection data, String app) {
        JFreeChart chart = ChartFactory.createXYLineChart(title(kind, app), "seconds", kind.unit, data, PlotOrientation.VERTICAL, true, false, false);
        return ChartStyle.apply(chart);
    }

    /** "Throughput · flask-gallery": every chart names the app it measured. */
    public static String title(Kind kind, String app) {
        return kind.title + " · " + app;
    }

    public static JFreeChart chart(Kind kind, RunResult run) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<Style> styles = new ArrayList<>();
        for (EnvironmentResult env : run.environments()) {
            // A VM under emulation says so in every legend entry its figures have.
            String name = run.emulated(env.environment())
                    ? env.displayName() + " (" + Fingerprint.EMULATED_TAG + ")" : env.displayName();
            if (!env.measured()) {
                // Not measured: one empty line, which the legend shows as "no data", in the environment's colour.
                add(data, styles, name, env.environment(), ChartStyle.SOLID, List.of());
                continue;
            }
            switch (kind) {
                case CPU -> add(data, styles, name, env.environment(), ChartStyle.SOLID,
                        env.resources().stream().filter(p -> p.seconds() >= 0).map(p -> new double[] {p.seconds(), p.cpuPercent()}).toList());
                case MEMORY -> {
                    add(data, styles, name + " · app (server RSS)", env.environment(), ChartStyle.SOLID, memory(env, true));
                    add(data, styles, name + " · environment", env.environment(), ChartStyle.DASHED, memory(env, false));
                }
                case LATENCY -> {
                    add(data, styles, name + " p50", env.environment(), ChartStyle.SOLID, ticks(env, LoadTick::p50Millis));
                    add(data, styles, name + " p95", env.environment(), ChartStyle.DASHED, ticks(env, LoadTick::p95Millis));
                    add(data, styles, name + " p99", env.environment(), ChartStyle.DOTTED, ticks(env, LoadTick::p99Millis));
                }
                case THROUGHPUT -> add(data, styles, name, env.environment(), ChartStyle.SOLID, ticks(env, LoadTick::requestsPerSecond));
            }
        }
        JFreeChart chart = empty(kind, data, run.app());
        if (run.environments().stream().anyMatch(e -> e.measured() && run.emulated(e.environment()))) {
            TextTitle caveat = new TextTitle(
                    "Vagrant VM: " + Fingerprint.EMULATION_WARNING,
                    new Font(Font.SANS_SERIF, Font.ITALIC, 12));
            caveat.setPaint(new Color(0x9a, 0x67, 0x00));
            chart.addSubtitle(caveat);
        }
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
        for (int i = 0; i < styles.size(); i++) {
            renderer.setSeriesPaint(i, ChartStyle.color(styles.get(i).environment()));
            renderer.setSeriesStroke(i, styles.get(i).stroke());
        }
        return chart;
    }

    /** Writes one PNG per chart, {@code width} x {@code height} pixels; returns the files. */
    public static List<Path> writePngs(RunResult run, Path dir, int width, int height) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            Path file = dir.resolve(kind.file + ".png");
            ChartUtils.saveChartAsPNG(file.toFile(), chart(kind, run), width, height);
            files.add(file);
        }
        return files;
    }

    /** One chart as PNG bytes, for embedding in HTML. */
    public static byte[] png(Kind kind, RunResult run, int width, int height) throws IOException {
        return ChartUtils.encodeAsPNG(chart(kind, run).createBufferedImage(width, height));
    }

    private record Style(String environment, Stroke stroke) {
    }

    private static void add(XYSeriesCollection data, List<Style> styles, String name, String env, Stroke stroke, List<double[]> points) {
        XYSeries series = new XYSeries(name, false, true);
        double last = Double.NEGATIVE_INFINITY;
        for (double[] p : points) {
            // Runs stored before issue 22 may hold a sample past a round's end: a line never runs backwards.
            if (!Double.isNaN(p[1]) && p[0] >= last) {
                last = p[0];
                series.add(p[0], p[1], false);
            }
        }
        data.addSeries(series);
        styles.add(new Style(env, stroke));
    }

    private static List<double[]> memory(EnvironmentResult env, boolean app) {
        List<double[]> out = new ArrayList<>();
        for (ResourcePoint p : env.resources()) {
            long bytes = app ? p.appMemoryBytes() : p.environmentMemoryBytes();
            if (p.seconds() >= 0 && bytes >= 0) {
                out.add(new double[] {p.seconds(), bytes / (1024.0 * 1024.0)});
            }
        }
        return out;
    }

    private static List<double[]> ticks(EnvironmentResult env, ToDoubleFunction<LoadTick> f) {
        return env.load().ticks().stream().map(t -> new double[] {t.second(), f.applyAsDouble(t)}).toList();
    }
}
