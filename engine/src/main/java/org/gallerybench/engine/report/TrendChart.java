package org.gallerybench.engine.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.gallerybench.engine.run.Trend;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import java.awt.geom.Ellipse2D;
import org.gallerybench.engine.run.Stats;

/**
 * One figure across runs, oldest on the left: each run's median as a point joined by a line, its interval as a
 * bar (none for a run of fewer than 3 rounds), each run named on the axis by its date and time. A drift shows as a
 * line that leaves the others' bars.
 */
public final class TrendChart {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private TrendChart() {
    }

    /** "p99 of docker · gallery, the last 12 runs". */
    public static String title(Trend t) {
        return t.metric() + " of " + t.environment() + (t.app() == null ? "" : " · " + t.app()) + ", the last " + t.points().size()
                + (t.points().size() == 1 ? " run" : " runs");
    }

    /** ", 75 %" when every point's interval has one level, ", 75 % to 94 %" otherwise; "" for none. */
    static String levels(Trend t) {
        double min = t.points().stream().filter(Trend.Point::hasInterval).mapToDouble(Trend.Point::level).min().orElse(Double.NaN);
        double max = t.points().stream().filter(Trend.Point::hasInterval).mapToDouble(Trend.Point::level).max().orElse(Double.NaN);
        if (Double.isNaN(min)) {
            return "";
        }
        return min == max ? ", " + Stats.levelText(min)
                : ", " + Stats.levelText(min) + " to " + Stats.levelText(max);
    }

    public static JFreeChart chart(Trend t) {
        YIntervalSeries series = new YIntervalSeries(t.metric() + " (median, interval from its rounds" + levels(t) + ")");
        String[] labels = new String[t.points().size()];
        boolean memory = t.unit().equals("bytes");
        double scale = memory ? 1.0 / (1 << 20) : 1;
        for (int i = 0; i < t.points().size(); i++) {
            Trend.Point p = t.points().get(i);
            double low = p.hasInterval() ? p.low() : p.value();
            double high = p.hasInterval() ? p.high() : p.value();
            series.add(i, p.value() * scale, low * scale, high * scale);
            labels[i] = WHEN.format(p.startedAt());
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        data.addSeries(series);
        SymbolAxis runs = new SymbolAxis("run (UTC), oldest first", labels);
        runs.setVerticalTickLabels(labels.length > 8);
        NumberAxis value = new NumberAxis(memory ? "MiB" : t.unit());
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDefaultLinesVisible(true);
        renderer.setDrawXError(false);
        renderer.setSeriesPaint(0, ChartStyle.color(t.environment()));
        renderer.setSeriesStroke(0, ChartStyle.SOLID);
        renderer.setErrorPaint(ChartStyle.color(t.environment()));
        XYPlot plot = new XYPlot(data, runs, value, renderer);
        JFreeChart chart = ChartStyle.apply(new JFreeChart(title(t), plot));
        // The house style writes every axis as plain numbers: the runs' axis keeps its dates, without bands.
        runs.setNumberFormatOverride(null);
        runs.setGridBandsVisible(false);
        renderer.setDefaultShapesVisible(true);
        renderer.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        return chart;
    }

    public static void writePng(Trend t, Path file, int width, int height) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart(t), width, height);
    }
}
