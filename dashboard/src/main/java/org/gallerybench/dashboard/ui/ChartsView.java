package org.gallerybench.dashboard.ui;

import java.awt.Stroke;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javafx.animation.AnimationTimer;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;

import org.gallerybench.engine.setup.EnvironmentCatalog;
import org.gallerybench.engine.report.ChartStyle;
import org.gallerybench.engine.report.Charts;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import java.util.ArrayList;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.gallerybench.engine.run.Fingerprint;
import org.jfree.chart.LegendItemCollection;

/**
 * The four live charts. Points reach them only through the {@link ChartFeed}, drained once per frame by an
 * AnimationTimer: each touched series is redrawn once, inside {@code setNotify(false/true)}, so a busy run costs
 * the JavaFX thread a few hundred points a second at most.
 */
public final class ChartsView extends GridPane {
    private final ChartFeed feed;
    private final Predicate<String> emulated;
    private final Map<Charts.Kind, JFreeChart> charts = new EnumMap<>(Charts.Kind.class);
    private final Map<Charts.Kind, XYSeriesCollection> data = new EnumMap<>(Charts.Kind.class);
    private final Map<ChartFeed.Key, XYSeries> lines = new HashMap<>();
    private final FrameStats frames = new FrameStats();
    private final AnimationTimer timer;

    /** {@code emulated} tells which environments' figures come from a VM under emulation: their legends say so. */
    private final UnaryOperator<String> names;

    public ChartsView(ChartFeed feed, Predicate<String> emulated, UnaryOperator<String> names) {
        this.names = names;
        this.feed = feed;
        this.emulated = emulated;
        setHgap(12);
        setVgap(12);
        getStyleClass().add("charts");
        int i = 0;
        for (Charts.Kind kind : Charts.Kind.values()) {
            XYSeriesCollection collection = new XYSeriesCollection();
            JFreeChart chart = Charts.empty(kind, collection, "gallery");
            charts.put(kind, chart);
            data.put(kind, collection);
            ChartViewer viewer = new ChartViewer(chart);
            viewer.setId("chart-" + kind.file);
            viewer.setMinSize(200, 150);
            add(viewer, i % 2, i / 2);
            i++;
        }
        for (int c = 0; c < 2; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(50);
            cc.setHgrow(Priority.ALWAYS);
            getColumnConstraints().add(cc);
            RowConstraints rc = new RowConstraints();
            rc.setPercentHeight(50);
            rc.setVgrow(Priority.ALWAYS);
            getRowConstraints().add(rc);
        }
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                frames.frame(now);
                apply(ChartsView.this.feed.drain());
            }
        };
        timer.start();
    }

    /** Titles every chart with the app under test: "Throughput · flask-gallery". */
    public void setApp(String app) {
        charts.forEach((kind, chart) -> chart.setTitle(Charts.title(kind, app)));
    }

    /** A chart's title, as shown. */
    public String title(Charts.Kind kind) {
        return charts.get(kind).getTitle().getText();
    }

    private void apply(ChartFeed.Changes changes) {
        if (changes.isEmpty()) {
            return;
        }
        if (changes.reset()) {
            charts.values().forEach(c -> c.setNotify(false));
            data.values().forEach(XYSeriesCollection::removeAllSeries);
            lines.clear();
            // Every line of the run at once, in a fixed order: empty ones say "no data" in the legend.
            for (Charts.Kind kind : Charts.Kind.values()) {
                for (String env : feed.expected()) {
                    ChartFeed.keys(kind, env).forEach(k -> lines.computeIfAbsent(k, this::newLine));
                }
            }
            charts.values().forEach(c -> c.setNotify(true));
        }
        Map<Charts.Kind, List<ChartFeed.Key>> byChart = new EnumMap<>(Charts.Kind.class);
        for (ChartFeed.Key key : changes.touched()) {
            byChart.computeIfAbsent(key.chart(), k -> new ArrayList<>()).add(key);
        }
        byChart.forEach((kind, keys) -> {
            JFreeChart chart = charts.get(kind);
            chart.setNotify(false);
            for (ChartFeed.Key key : keys) {
                XYSeries series = lines.computeIfAbsent(key, this::newLine);
                series.clear();
                for (double[] p : feed.series(kind).get(key).points()) {
                    series.add(p[0], p[1], false);
                }
                series.fireSeriesChanged();
            }
            chart.setNotify(true);
        });
    }

    private XYSeries newLine(ChartFeed.Key key) {
        XYSeriesCollection collection = data.get(key.chart());
        String name = names.apply(key.environment())
                + (emulated.test(key.environment()) ? " (" + Fingerprint.EMULATED_TAG + ")" : "") + switch (key.figure()) {
            case "app" -> " · app (server RSS)";
            case "environment" -> " · environment";
            case "p50", "p95", "p99" -> " " + key.figure();
            default -> "";
        };
        XYSeries series = new XYSeries(name, false, true);
        collection.addSeries(series);
        int index = collection.getSeriesCount() - 1;
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) charts.get(key.chart()).getXYPlot().getRenderer();
        renderer.setSeriesPaint(index, ChartStyle.color(key.environment()));
        Stroke stroke = switch (key.figure()) {
            case "environment", "p95" -> ChartStyle.DASHED;
            case "p99" -> ChartStyle.DOTTED;
            default -> ChartStyle.SOLID;
        };
        renderer.setSeriesStroke(index, stroke);
        return series;
    }

    /** The legend of a chart as it reads now, e.g. "Local process", "Docker container · no data". */
    public List<String> legend(Charts.Kind kind) {
        List<String> out = new ArrayList<>();
        LegendItemCollection items = charts.get(kind).getXYPlot().getLegendItems();
        for (int i = 0; i < items.getItemCount(); i++) {
            out.add(items.get(i).getLabel());
        }
        return out;
    }

    /** Points on the charts now (bounded, whatever the run's length). */
    public int pointsShown() {
        return lines.values().stream().mapToInt(XYSeries::getItemCount).sum();
    }

    public FrameStats frames() {
        return frames;
    }

    public void stop() {
        timer.stop();
    }

    /** Frame intervals, to check that the JavaFX thread keeps its rate during a run. */
    public static final class FrameStats {
        private long last;
        private final org.HdrHistogram.Histogram intervals = new org.HdrHistogram.Histogram(10_000_000L, 2);

        synchronized void frame(long now) {
            if (last != 0) {
                intervals.recordValue(Math.min((now - last) / 1000, 10_000_000L));
            }
            last = now;
        }

        public synchronized long frames() {
            return intervals.getTotalCount();
        }

        /** Frame interval at a percentile, in ms. */
        public synchronized double intervalMillis(double percentile) {
            return intervals.getValueAtPercentile(percentile) / 1000.0;
        }

        public synchronized void reset() {
            intervals.reset();
        }
    }
}
