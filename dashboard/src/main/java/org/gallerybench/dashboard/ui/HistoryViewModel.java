package org.gallerybench.dashboard.ui;

import java.util.List;
import java.util.function.Consumer;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.gallerybench.engine.bench.MetricComparison;
import org.gallerybench.engine.bench.RunResult;
import org.gallerybench.engine.history.RunHistory;

/** The history tab: the runs kept, opening one into the charts and table, comparing two, the baseline, deleting. */
public final class HistoryViewModel {
    private final Background background;
    private final Notifications notifications;
    private final DashboardServices services;
    private final Consumer<RunResult> open;
    private final ObservableList<RunHistory.Entry> runs = FXCollections.observableArrayList();
    private final ObservableList<MetricComparison> comparison = FXCollections.observableArrayList();

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
}
