package org.gallerybench.dashboard.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.gallerybench.engine.run.RunResult;
import org.gallerybench.engine.report.Charts;
import org.gallerybench.engine.report.Reports;
import org.jfree.chart.ChartUtils;

/** The export dialog: PNG charts at a chosen size, and the full report, of the run on show. */
public final class ExportViewModel {
    private final Background background;
    private final Notifications notifications;
    private final Supplier<RunResult> shown;
    private final IntegerProperty width = new SimpleIntegerProperty(1200);
    private final IntegerProperty height = new SimpleIntegerProperty(600);
    private final StringProperty dir = new SimpleStringProperty(Path.of("results").toAbsolutePath().toString());

    ExportViewModel(Background background, Notifications notifications, Supplier<RunResult> shown) {
        this.background = background;
        this.notifications = notifications;
        this.shown = shown;
    }

    /** Writes one chart, or all of them, as PNG at the chosen size, in the background. */
    public void exportCharts(Set<Charts.Kind> kinds) {
        RunResult r = shown.get();
        if (r == null) {
            nothingYet();
            return;
        }
        int w = width.get();
        int h = height.get();
        Path folder = folder(r);
        background.run("Export failed", () -> {
            if (w < 200 || h < 150 || w > 8000 || h > 8000) {
                throw new IllegalArgumentException("Choose a size between 200x150 and 8000x8000 pixels (got " + w + "x" + h + ").");
            }
            Files.createDirectories(folder);
            for (Charts.Kind k : kinds) {
                ChartUtils.saveChartAsPNG(folder.resolve(k.file + ".png").toFile(), Charts.chart(k, r), w, h);
            }
            return null;
        }, done -> notifications.post(new Banner(Banner.Level.SUCCESS, "Exported " + kinds.size() + (kinds.size() == 1 ? " chart" : " charts"),
                "PNG, " + w + "x" + h + ", in " + folder.toAbsolutePath())));
    }

    /** Writes the full report: HTML, JSON, CSV and Markdown (and the PNGs). */
    public void exportReport() {
        RunResult r = shown.get();
        if (r == null) {
            nothingYet();
            return;
        }
        Path folder = folder(r);
        int w = width.get();
        int h = height.get();
        background.run("The report could not be written", () -> Reports.write(r, folder, EnumSet.allOf(Reports.Format.class), w, h),
                (List<Path> files) -> notifications.post(new Banner(Banner.Level.SUCCESS, "Report written", files.size() + " files in "
                        + folder.toAbsolutePath() + " (report.html, run.json, series.csv, report.md and the charts).")));
    }

    private Path folder(RunResult r) {
        return Path.of(dir.get() == null || dir.get().isBlank() ? "results" : dir.get()).resolve(r.id());
    }

    private void nothingYet() {
        notifications.post(new Banner(Banner.Level.WARNING, "Nothing to export yet", "Run a comparison, or open one from the history, first."));
    }

    public IntegerProperty widthProperty() {
        return width;
    }

    public IntegerProperty heightProperty() {
        return height;
    }

    public StringProperty dirProperty() {
        return dir;
    }
}
