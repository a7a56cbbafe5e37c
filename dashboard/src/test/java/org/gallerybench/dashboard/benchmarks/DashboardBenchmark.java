package org.gallerybench.dashboard.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.gallerybench.benchmarks.BenchSupport;
import org.gallerybench.benchmarks.Report;
import org.gallerybench.environments.TestServer;

/**
 * The dashboard (issue 6), in a real GTK window on Xvfb: time from the command to the first window (median of 5,
 * measured from spawning ./gallerybench to the window's "shown" line), and, during a quick comparison, the frame
 * intervals of the JavaFX thread, the points on the charts and the heap.
 */
public final class DashboardBenchmark {
    private static final Pattern FRAMES = Pattern.compile(
            "frames (\\d+), frame interval p50 ([\\d.]+) ms, p99 ([\\d.]+) ms, max ([\\d.]+) ms; (\\d+) points on the charts; heap used (\\d+) MiB");
    /** Set -Dgallerybench.bench.soak-seconds=1800 for the 30-minute run (default: 120 s). */
    private static final int SOAK_SECONDS = Integer.getInteger("gallerybench.bench.soak-seconds", 120);

    private DashboardBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Report report = new Report("dashboard");
        Path home = Files.createTempDirectory("gallerybench-ui-bench");
        // The local process alone, as the sections say (a first start would tick the container and the VM too).
        new org.gallerybench.engine.setup.SettingsStore(home.resolve("config/settings.json")).save(new org.gallerybench.engine.setup.SettingsStore.Saved(
                org.gallerybench.engine.setup.EnvironmentSettings.defaults().withLocalPort(5092), "quick", List.of("local"), 1200, 600));
        try {
            report.section("First window: ./gallerybench to the window shown (Xvfb, software rendering; 5 starts after one warm-up)");
            run(home, "-Dgallerybench.ui.exit=true -Dgallerybench.ui.timing=true");
            List<Double> starts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                starts.add(run(home, "-Dgallerybench.ui.exit=true -Dgallerybench.ui.timing=true").windowMillis());
            }
            report.figure("first_window_median_ms", Report.median(starts), "ms", "<= 3000");
            report.put("first_window_ms", Report.summary(starts, "ms"));

            report.section("During the quick comparison (local)");
            Outcome quick = run(home, "-Dgallerybench.ui.autorun=quick -Dgallerybench.ui.exit=true");
            Matcher m = FRAMES.matcher(quick.output());
            if (!m.find()) {
                throw new IllegalStateException("no frame figures in:\n" + quick.output());
            }
            report.figure("frames", Double.parseDouble(m.group(1)), "", null);
            report.figure("frame_interval_p50_ms", Double.parseDouble(m.group(2)), "ms", "~16.7 at 60 fps");
            report.figure("frame_interval_p99_ms", Double.parseDouble(m.group(3)), "ms", null);
            report.figure("frame_interval_max_ms", Double.parseDouble(m.group(4)), "ms", null);
            report.figure("chart_points", Double.parseDouble(m.group(5)), "", null);
            report.figure("heap_used_mib", Double.parseDouble(m.group(6)), "MiB", null);

            report.section("A long run (custom profile, local, " + SOAK_SECONDS + " s of load): memory stays bounded");
            Outcome soak = run(home, "-Dgallerybench.ui.autorun=custom -Dgallerybench.ui.custom-seconds=" + SOAK_SECONDS
                    + " -Dgallerybench.ui.custom-trials=1 -Dgallerybench.ui.exit=true");
            Matcher s = FRAMES.matcher(soak.output());
            if (!s.find()) {
                throw new IllegalStateException("no frame figures in:\n" + soak.output());
            }
            report.figure("long_run_seconds", SOAK_SECONDS, "s", null);
            report.figure("long_run_chart_points", Double.parseDouble(s.group(5)), "", "bounded: 600 a line");
            report.figure("long_run_heap_used_mib", Double.parseDouble(s.group(6)), "MiB", null);
            report.figure("long_run_frame_interval_p99_ms", Double.parseDouble(s.group(3)), "ms", null);
        } finally {
            BenchSupport.deleteTree(home);
        }
        report.write();
    }

    record Outcome(double windowMillis, String output) {
    }

    private static Outcome run(Path home, String options) throws Exception {
        Path root = TestServer.projectRoot();
        ProcessBuilder b = new ProcessBuilder("xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", root.resolve("gallerybench").toString())
                .directory(home.toFile()).redirectErrorStream(true);
        b.environment().put("GALLERYBENCH_HOME", home.toString());
        b.environment().put("GALLERYBENCH_JAVA_OPTS", options);
        long start = System.nanoTime();
        Process p = b.start();
        double window = Double.NaN;
        StringBuilder out = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.contains("first window shown") && Double.isNaN(window)) {
                    window = (System.nanoTime() - start) / 1e6;
                }
                out.append(line).append('\n');
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the dashboard failed:\n" + out);
        }
        return new Outcome(window, out.toString());
    }
}
