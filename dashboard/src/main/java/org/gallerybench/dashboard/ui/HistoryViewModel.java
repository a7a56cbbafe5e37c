package org.gallerybench.dashboard.ui;

import java.util.List;
import java.util.function.Consumer;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.gallerybench.engine.run.MetricComparison;
import org.gallerybench.engine.run.RunResult;
import org.gallerybench.engine.history.RunHistory;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.gallerybench.engine.report.Fmt;
import org.gallerybench.engine.report.TrendChart;
import org.gallerybench.engine.run.Metric;
import org.jfree.chart.JFreeChart;

/** The history tab: the runs kept, opening one into the charts and table, comparing two, the baseline, deleting. */
public final class HistoryViewModel {
    private final Background background;
    private final Notifications notifications;
    private final DashboardServices services;
    private final Consumer<RunResult> open;
    private final ObservableList<RunHistory.Entry> runs = FXCollections.observableArrayList();
    private final ObservableList<MetricComparison> comparison = FXCollections.observableArrayList();
    /** The Trends view's chart: one figure of one environment across runs; null until asked. */
    private final ObjectProperty<JFreeChart> trendChart = new SimpleObjectProperty<>();
    private final StringProperty trendNote = new SimpleStringProperty(
            "Choose an environment and a figure, then Show trend.");

    /** {@code open} shows a stored run (called on the io executor). */
    HistoryViewModel(Background background, Notifications notifications, DashboardServices services, Consumer<RunResult> open) {
        this.background = background;
        this.notifications = notifications;
        this.services = services;
        this.open = open;
    }

    public void refresh() {
        background.run("The history cannot be read", () -> {
            try (RunHistory h = services.history().get()) {
                return h.list();
            }
        }, runs::setAll);
    }

    public void openRun(String id) {
        background.run("Cannot open run " + id, () -> {
            try (RunHistory h = services.history().get()) {
                open.accept(h.require(id));
            }
        });
    }

    /** Compares run {@code a} (older) with {@code b} (newer); says when they are not like for like. */
    public void compare(String a, String b) {
        record Compared(List<MetricComparison> rows, List<String> unlike) {
        }
        background.run("Cannot compare " + a + " with " + b, () -> {
            try (RunHistory h = services.history().get()) {
                return new Compared(h.compare(a, b), h.differences(a, b));
            }
        }, c -> {
            comparison.setAll(c.rows());
            if (!c.unlike().isEmpty()) {
                notifications.post(new Banner(Banner.Level.WARNING, "These runs are not like for like", String.join("; ", c.unlike()) + "."));
            } else if (c.rows().isEmpty()) {
                notifications.post(new Banner(Banner.Level.WARNING, "Nothing to compare", "The two runs have no environment measured in both."));
            }
        });
    }

    /**
     * One figure of one environment across the last 20 completed runs of the app of the latest (the CLI's `history
     * trend`): the chart, and a line that says how many runs it holds, or why there is nothing to draw.
     */
    public void trend(String environment, Metric metric) {
        background.run("Cannot draw the trend of " + metric + " in " + environment, () -> {
            try (RunHistory h = services.history().get()) {
                return h.trend(environment, metric, 20, null);
            }
        }, t -> {
            if (t.points().isEmpty()) {
                trendChart.set(null);
                trendNote.set("No completed run here measured " + environment + ": nothing to draw.");
            } else {
                trendChart.set(TrendChart.chart(t));
                trendNote.set(TrendChart.title(t) + ": each point a run's median, each bar its interval from"
                        + " its rounds, at the level its rounds give (3 rounds: 75 %; 5: 94 %). A point outside the others' bars is likely a"
                        + " change; runs also differ by more than their rounds say, so read a single point's move with care.");
            }
        });
    }

    public ReadOnlyObjectProperty<JFreeChart> trendChartProperty() {
        return trendChart;
    }

    public ReadOnlyStringProperty trendNoteProperty() {
        return trendNote;
    }

    public void markBaseline(String id) {
        background.run("Cannot mark the baseline", () -> {
            try (RunHistory h = services.history().get()) {
                h.markBaseline(id);
            }
        }, this::refresh);
    }

    public void delete(String id) {
        background.run("Cannot delete run " + id, () -> {
            try (RunHistory h = services.history().get()) {
                h.delete(id);
            }
        }, this::refresh);
    }

    public ObservableList<RunHistory.Entry> runs() {
        return runs;
    }

    public ObservableList<MetricComparison> comparison() {
        return comparison;
    }

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    /** The run's id, starred when it is the baseline. */
    static String runName(RunHistory.Entry e) {
        return e.id() + (e.baseline() ? "  ★" : "");
    }

    static String started(RunHistory.Entry e) {
        return WHEN.format(e.startedAt());
    }

    static String status(RunHistory.Entry e) {
        return e.status().name().toLowerCase(Locale.ROOT);
    }

    /** A compared figure's environment (the comparison keys it by environment@run). */
    static String environment(MetricComparison m) {
        return m.baseline().replaceFirst("@.*", "");
    }

    static String older(MetricComparison m) {
        return Fmt.value(m.baseValue(), m.unit());
    }

    static String newer(MetricComparison m) {
        return Fmt.value(m.otherValue(), m.unit());
    }

    /** Newer over older, with its interval and the level it has ("1.08×  [0.97, 1.21] 90 %"). */
    static String change(MetricComparison m) {
        return Fmt.ratio(m.ratio()) + (m.intervalText().isEmpty() ? "  (no interval: fewer than 3 rounds)"
                : "  " + m.intervalText());
    }

    /** Which run is better on this figure: newer, older, or neither (the interval includes 1, or is less than 90 % sure). */
    static String better(MetricComparison m) {
        return m.better().equals("neither") ? "neither" : m.better().equals(m.other()) ? "newer" : "older";
    }
}
