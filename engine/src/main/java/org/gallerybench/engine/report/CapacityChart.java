package org.gallerybench.engine.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.gallerybench.engine.run.CapacityResult;
import org.gallerybench.engine.run.CapacityStep;
import org.gallerybench.engine.run.EnvironmentResult;
import org.gallerybench.engine.run.Objective;
import org.gallerybench.engine.run.RunResult;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import java.awt.geom.Ellipse2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import org.gallerybench.engine.run.Fingerprint;
import org.jfree.chart.axis.NumberTickUnit;

/**
 * Latency against throughput, from a capacity search (issue 14): one line per environment, x the achieved rate and y
 * the p99 (solid; p50 dashed), on a log scale so that both the flat part and the knee read. The objective is a
 * horizontal line, and each environment's capacity a vertical one in its colour. Drawn for capacity.png and the
 * reports from a finished run, and live in the dashboard, step by step, through {@link Live}.
 */
public final class CapacityChart {
    private static final String TITLE = "Latency against throughput (capacity search)";
    private CapacityChart() {
    }

    /** The chart of a finished run. */
    public static JFreeChart chart(RunResult run) {
        Live live = new Live(run.plan().capacity() == null ? null : run.plan().capacity().objective(), run.app());
        for (EnvironmentResult e : run.environments()) {
            String name = run.emulated(e.environment())
                    ? e.displayName() + " (" + Fingerprint.EMULATED_TAG + ")" : e.displayName();
            live.environment(e.environment(), name);
            if (e.capacity() != null) {
                e.capacity().steps().forEach(s -> live.step(e.environment(), s));
                live.capacity(e.environment(), e.capacity());
            }
        }
        return live.chart();
    }

    public static Path writePng(RunResult run, Path dir, int width, int height) throws IOException {
        Path file = dir.resolve("capacity.png");
        ChartUtils.saveChartAsPNG(file.toFile(), chart(run), width, height);
        return file;
    }

    public static byte[] png(RunResult run, int width, int height) throws IOException {
        return ChartUtils.encodeAsPNG(chart(run).createBufferedImage(width, height));
    }

    /** The chart and its data, filled step by step (the dashboard calls it on its UI thread; reports all at once). */
    public static final class Live {
        private final XYSeriesCollection data = new XYSeriesCollection();
        private final List<String> environments = new ArrayList<>();
        private final JFreeChart chart;
        private final XYPlot plot;

        public Live(Objective objective, String app) {
            chart = ChartStyle.apply(ChartFactory.createXYLineChart(TITLE + " · " + app,
                    "achieved requests/s", "ms", data, PlotOrientation.VERTICAL, true, false, false));
            plot = chart.getXYPlot();
            LogAxis latency = new LogAxis("latency, ms (log scale): p99 solid, p50 dashed");
            latency.setBase(10);
            latency.setSmallestValue(0.05);
            latency.setTickUnit(new NumberTickUnit(1)); // decades: 0.1, 1, 10, 100, 1,000 ms
            latency.setMinorTickCount(9);
            latency.setMinorTickMarksVisible(true);
            latency.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            latency.setLabelPaint(ChartStyle.MUTED);
            latency.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            latency.setTickLabelPaint(ChartStyle.MUTED);
            latency.setNumberFormatOverride(new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT)));
            plot.setRangeAxis(latency);
            XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
            renderer.setDefaultShapesVisible(true);
            renderer.setDefaultShape(new Ellipse2D.Double(-3, -3, 6, 6));
            if (objective != null) {
                ValueMarker bound = new ValueMarker(objective.boundMillis(), new Color(0xB42318),
                        new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
                bound.setLabel("objective: " + objective.describe());
                bound.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                bound.setLabelPaint(new Color(0xB42318));
                bound.setLabelAnchor(RectangleAnchor.TOP_LEFT);
                bound.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
                plot.addRangeMarker(bound);
            }
        }

        public JFreeChart chart() {
            return chart;
        }

        /** Adds the environment's two lines (no points yet), in its colour. */
        public void environment(String id, String name) {
            if (environments.contains(id)) {
                return;
            }
            environments.add(id);
            XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
            for (boolean p99 : new boolean[] {true, false}) {
                data.addSeries(new XYSeries(name + (p99 ? " p99" : " p50"), true, true));
                int i = data.getSeriesCount() - 1;
                renderer.setSeriesPaint(i, ChartStyle.color(id));
                renderer.setSeriesStroke(i, p99 ? ChartStyle.SOLID : ChartStyle.DASHED);
                renderer.setSeriesShapesVisible(i, p99);
            }
        }

        /** A finished step: its achieved rate against its p99 and p50 (a step with no answers is not drawn). */
        public void step(String id, CapacityStep s) {
            int at = environments.indexOf(id);
            if (at < 0 || !(s.achievedRate() > 0)) {
                return;
            }
            if (s.p99Millis() > 0) {
                data.getSeries(2 * at).addOrUpdate(s.achievedRate(), s.p99Millis());
            }
            if (s.p50Millis() > 0) {
                data.getSeries(2 * at + 1).addOrUpdate(s.achievedRate(), s.p50Millis());
            }
        }

        /** The environment's capacity, as a vertical line in its colour with the figure. */
        public void capacity(String id, CapacityResult result) {
            if (!result.found()) {
                return;
            }
            ValueMarker m = new ValueMarker(result.achievedRate(), ChartStyle.color(id), new BasicStroke(1.5f));
            m.setLabel(String.format(Locale.ROOT, "%,.0f/s%s", result.capacityRate(), result.generatorLimited() ? " (at least)" : ""));
            m.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
            m.setLabelPaint(ChartStyle.color(id));
            m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(m);
        }
    }
}
