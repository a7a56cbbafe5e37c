package org.gallerybench.engine.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.gallerybench.engine.run.RunResult;
import java.io.ByteArrayOutputStream;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeriesCollection;

/** Writes a run's reports into a folder: run.json, series.csv, report.html, report.md and the PNG charts. */
public final class Reports {
    public enum Format {
        JSON, CSV, HTML, MD, PNG;

        public static Format parse(String s) {
            try {
                return valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown report format '" + s + "': use html, json, csv, md or png");
            }
        }
    }

    private Reports() {
    }

    public static List<Path> write(RunResult run, Path dir, Set<Format> formats, int width, int height) throws IOException {
        if (width < 200 || height < 150 || width > 8000 || height > 8000) {
            throw new IllegalArgumentException("chart size must be between 200x150 and 8000x8000 pixels, got " + width + "x" + height);
        }
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (Format f : EnumSet.copyOf(formats)) {
            switch (f) {
                case JSON -> files.add(text(dir.resolve("run.json"), JsonReport.render(run)));
                case CSV -> files.add(text(dir.resolve("series.csv"), CsvReport.render(run)));
                case HTML -> files.add(text(dir.resolve("report.html"), HtmlReport.render(run)));
                case MD -> files.add(text(dir.resolve("report.md"), MarkdownReport.render(run)));
                case PNG -> {
                    files.addAll(Charts.writePngs(run, dir, width, height));
                    if (run.plan().isCapacitySearch()) {
                        files.add(CapacityChart.writePng(run, dir, width, height));
                    }
                }
            }
        }
        return files;
    }

    /**
     * Renders a tiny chart, so that Java2D, its fonts and ImageIO are set up now. Their first use registers JVM
     * shutdown hooks, which fails once a shutdown has begun: a run cancelled by Ctrl-C could then write its run.json
     * but not its charts or HTML report.
     */
    public static void warmUp() {
        try {
            JFreeChart chart = ChartFactory.createXYLineChart("warm-up", "s", "x",
                    new XYSeriesCollection());
            ChartUtils.writeChartAsPNG(new ByteArrayOutputStream(), chart, 32, 32);
        } catch (IOException | RuntimeException e) {
            // the reports will say so themselves if charts cannot be drawn
        }
    }

    public static List<Path> writeAll(RunResult run, Path dir) throws IOException {
        return write(run, dir, EnumSet.allOf(Format.class), 1200, 600);
    }

    /** Writes atomically: a temporary file, then a move, so that a crash never leaves half a report. */
    private static Path text(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
