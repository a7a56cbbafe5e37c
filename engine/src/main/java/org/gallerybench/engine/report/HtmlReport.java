package org.gallerybench.engine.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.gallerybench.engine.run.EnvironmentResult;
import org.gallerybench.engine.load.LatencySummary;
import org.gallerybench.engine.load.RequestKind;
import org.gallerybench.engine.run.RunResult;
import org.gallerybench.engine.run.StartupTrial;
import java.awt.Color;
import java.util.Comparator;
import java.util.Locale;
import org.gallerybench.engine.run.Fingerprint;
import org.gallerybench.environments.StartTiming;

/**
 * A self-contained HTML report: the comparison table, the four charts (PNG, embedded as data URIs), startup trials,
 * latency per request kind, errors, warnings, and how to read the memory columns. No external assets.
 */
public final class HtmlReport {
    private static final String CSS = """
            body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f6f7f9}
            main{max-width:1180px;margin:0 auto;padding:28px}
            h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 12px}
            .meta{color:#667085}
            table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #e4e7ec;border-radius:10px;overflow:hidden}
            th,td{padding:8px 12px;border-bottom:1px solid #eef0f3;text-align:right;vertical-align:top}
            th:first-child,td:first-child{text-align:left}
            thead th{background:#f9fafb;font-weight:600}
            td small{display:block;color:#667085;font-size:12px}
            .best{font-weight:700;color:#067647}
            .ratio{color:#667085;font-size:12px;margin-left:6px}
            .noisy{color:#b54708;cursor:help;margin-left:4px}
            .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:16px}
            .charts img{width:100%;background:#fff;border:1px solid #e4e7ec;border-radius:10px}
            .warn{background:#fffaeb;border:1px solid #fedf89;border-radius:10px;padding:12px 16px}
            .fail{color:#b42318}
            .dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:6px}
            """;

    private HtmlReport() {
    }

    public static String render(RunResult run) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(run.app())).append(" · Gallery Bench ").append(esc(run.id()))
                .append("</title><style>").append(CSS).append("</style></head><body><main>");
        h.append("<h1>").append(esc(run.app())).append(" · ").append(esc(run.label().isBlank() ? "comparison" : run.label())).append("</h1>");
        h.append("<p class=\"meta\">Run ").append(esc(run.id())).append(" · ")
                .append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(run.startedAt())).append(" UTC · ")
                .append(esc(run.machine().host())).append(", ").append(run.machine().cores()).append(" cores, ")
                .append(esc(run.machine().javaVersion())).append(" · ").append(esc(run.plan().isCapacitySearch() ? "capacity search, " + run.plan().capacity().describe() : run.plan().load().describe())).append(" · ")
                .append(run.plan().startupTrials()).append(" cold starts and restarts each · status ").append(run.status().name().toLowerCase(Locale.ROOT))
                .append("</p>");
        if (!run.warnings().isEmpty()) {
            h.append("<div class=\"warn\"><strong>Read with care</strong><ul>");
            run.warnings().forEach(w -> h.append("<li>").append(esc(w)).append("</li>"));
            h.append("</ul></div>");
        }

        h.append("<h2>Comparison</h2><table><thead><tr><th>Metric</th>");
        List<String> headers = ComparisonTable.headers(run);
        for (int i = 0; i < run.environments().size(); i++) {
            EnvironmentResult e = run.environments().get(i);
            h.append("<th><span class=\"dot\" style=\"background:").append(hex(e.environment())).append("\"></span>")
                    .append(esc(headers.get(i))).append("</th>");
        }
        h.append("</tr></thead><tbody>");
        for (ComparisonTable.Row row : ComparisonTable.rows(run)) {
            h.append("<tr><td>").append(esc(row.metric()));
            if (!row.note().isBlank()) {
                h.append("<small>").append(esc(row.note())).append("</small>");
            }
            h.append("</td>");
            for (ComparisonTable.Cell c : row.cells()) {
                // Hovered, a cell says how sure its figure is: its own interval and that interval's level.
                h.append("<td").append(c.best() ? " class=\"best\"" : "").append(c.sure().isEmpty() ? "" : " title=\"" + esc(c.sure()) + "\"")
                        .append(">").append(esc(c.text()));
                if (!c.ratio().isEmpty()) {
                    h.append("<span class=\"ratio\">").append(esc(c.ratio())).append("</span>");
                }
                if (!c.cv().isEmpty()) {
                    h.append("<span class=\"ratio\">").append(esc(c.cv())).append("</span>");
                }
                if (c.noisy()) {
                    h.append(" <span class=\"noisy\" title=\"").append(esc(c.noise())).append("\">⚠</span>");
                }
                h.append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</tbody></table><p class=\"meta\">Ratios are against ")
                .append(esc(run.environment(run.plan().baseline()).map(EnvironmentResult::displayName).orElse(run.plan().baseline())))
                .append(". Figures are medians over rounds; each ratio has its interval from the rounds in brackets and the level that"
                        + " interval really has (3 rounds a side: 90 %; none with fewer than 3). Green marks a side better than every other, its"
                        + " intervals (at 90 % or more) excluding 1 against each. CV is the coefficient of"
                        + " variation over the rounds (the timed starts for startup); ⚠ marks a figure whose rounds are not to be trusted as they"
                        + " are: hover it, or read the list under the table.</p>");
        List<String> noise = ComparisonTable.noise(run);
        if (!noise.isEmpty()) {
            h.append("<div class=\"warn\" id=\"noise\"><strong>Noise: the figures marked ⚠</strong><ul>");
            noise.forEach(n -> h.append("<li>").append(esc(n)).append("</li>"));
            h.append("</ul></div>");
        }

        if (OverheadTable.applies(run)) {
            h.append("<h2>Overhead against the ").append(esc(OverheadTable.baselineName(run).toLowerCase(Locale.ROOT)))
                    .append("</h2><table id=\"overhead\"><thead><tr><th>Environment</th><th>Network path</th>");
            OverheadTable.columns(run).forEach(c -> h.append("<th>").append(esc(c.heading())).append("</th>"));
            h.append("</tr></thead><tbody>");
            for (OverheadTable.Row row : OverheadTable.rows(run)) {
                h.append("<tr><td><span class=\"dot\" style=\"background:").append(hex(row.environment())).append("\"></span>")
                        .append(esc(row.name())).append(row.baseline() ? " <small>baseline</small>" : "").append("</td><td>")
                        .append(esc(row.networkPath())).append("</td>");
                for (OverheadTable.Cell c : row.cells()) {
                    // The figure whole on its line, the ratio and its interval under it.
                    h.append("<td><span style=\"white-space:nowrap\">").append(esc(c.value())).append("</span>");
                    if (!c.ratio().isEmpty()) {
                        h.append("<br><span class=\"ratio\">").append(esc(c.ratio())).append("</span>");
                    }
                    h.append("</td>");
                }
                h.append("</tr>");
            }
            h.append("</tbody></table><p class=\"meta\">").append(esc(OverheadTable.note(run))).append("</p>");
        }

        h.append("<h2>Charts</h2><div class=\"charts\">");
        for (Charts.Kind kind : Charts.Kind.values()) {
            try {
                h.append("<img alt=\"").append(esc(kind.title)).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(Charts.png(kind, run, 1040, 520))).append("\">");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        h.append("</div>");

        if (run.plan().isCapacitySearch()) {
            h.append("<h2>Capacity search</h2><p class=\"meta\">").append(esc(run.plan().capacity().describe())).append("</p>");
            try {
                h.append("<img alt=\"Latency against throughput\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(CapacityChart.png(run, 1040, 520))).append("\">");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (EnvironmentResult e : run.environments()) {
                h.append("<h3><span class=\"dot\" style=\"background:").append(hex(e.environment())).append("\"></span>")
                        .append(esc(CapacityTable.summary(run, e))).append("</h3>");
                List<List<String>> rows = CapacityTable.rows(e);
                if (rows.isEmpty()) {
                    continue;
                }
                h.append("<table class=\"capacity\"><thead><tr>");
                CapacityTable.HEADERS.forEach(x -> h.append("<th>").append(esc(x)).append("</th>"));
                h.append("</tr></thead><tbody>");
                for (List<String> row : rows) {
                    h.append("<tr>");
                    row.forEach(x -> h.append("<td>").append(esc(x)).append("</td>"));
                    h.append("</tr>");
                }
                h.append("</tbody></table>");
            }
        }

        h.append("<h2>Startup trials</h2><table><thead><tr><th>Environment</th><th>Kind</th><th>Trials (ms, to the first 200)</th>")
                .append("<th>Phases of the median trial</th></tr></thead><tbody>");
        for (EnvironmentResult e : run.environments()) {
            for (String kind : List.of(StartTiming.COLD_START, StartTiming.RESTART)) {
                List<StartupTrial> trials = e.startupTrials().stream().filter(t -> t.kind().equals(kind)).toList();
                if (trials.isEmpty()) {
                    continue;
                }
                h.append("<tr><td>").append(esc(e.displayName())).append("</td><td>").append(esc(kind)).append("</td><td>");
                trials.forEach(t -> h.append(Fmt.millis(t.totalMillis())).append(" "));
                h.append("</td><td>");
                List<StartupTrial> sorted = trials.stream().sorted(Comparator.comparingDouble(StartupTrial::totalMillis)).toList();
                sorted.get(sorted.size() / 2).phases().forEach((k, v) -> h.append(esc(k)).append(": ").append(Fmt.millis(v)).append("<br>"));
                h.append("</td></tr>");
            }
        }
        h.append("</tbody></table>");

        h.append("<h2>Latency by request kind</h2><table><thead><tr><th>Environment</th><th>Kind</th><th>Requests</th><th>p50</th><th>p90</th>")
                .append("<th>p99</th><th>p99.9</th><th>max</th></tr></thead><tbody>");
        for (EnvironmentResult e : run.environments()) {
            if (e.load() == null) {
                continue;
            }
            for (Map.Entry<RequestKind, LatencySummary> k : e.load().latencyByKind().entrySet()) {
                LatencySummary l = k.getValue();
                h.append("<tr><td>").append(esc(e.displayName())).append("</td><td>").append(esc(k.getKey().label())).append("</td><td>")
                        .append(Fmt.count(l.count())).append("</td><td>").append(Fmt.millis(l.p50Millis())).append("</td><td>")
                        .append(Fmt.millis(l.p90Millis())).append("</td><td>").append(Fmt.millis(l.p99Millis())).append("</td><td>")
                        .append(Fmt.millis(l.p999Millis())).append("</td><td>").append(Fmt.millis(l.maxMillis())).append("</td></tr>");
            }
        }
        h.append("</tbody></table>");

        h.append("<h2>Errors and the load generator</h2><table><thead><tr><th>Environment</th><th>Errors by kind (first message)</th>")
                .append("<th>Timeouts</th><th>Missed sends</th><th>Status codes</th><th>Generator CPU</th><th>CPU per request</th><th>Seed</th>")
                .append("</tr></thead><tbody>");
        for (EnvironmentResult e : run.environments()) {
            h.append("<tr><td>").append(esc(e.displayName())).append("</td>");
            if (e.load() == null) {
                h.append("<td class=\"fail\" colspan=\"7\">").append(esc(e.failure() == null ? "not measured" : e.failure())).append("</td></tr>");
                continue;
            }
            String errors = e.load().describeErrors();
            h.append("<td>").append(esc(errors.isEmpty() ? "none" : errors)).append("</td><td>").append(Fmt.count(e.load().timeouts()))
                    .append("</td><td>").append(Fmt.count(e.load().missed())).append("</td><td>").append(esc(e.load().statusCodes().toString()))
                    .append("</td><td>").append(Fmt.percent(e.load().generatorCpuPercent())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f µs", e.load().cpuMicrosPerRequest())).append("</td><td>")
                    .append(Long.toHexString(e.load().seed())).append("</td></tr>");
            if (e.failure() != null) {
                h.append("<tr><td></td><td class=\"fail\" colspan=\"7\">").append(esc(e.failure())).append("</td></tr>");
            }
        }
        h.append("</tbody></table>");

        h.append("<h2>The machine</h2><table><tbody>");
        for (var line : Fingerprint.lines(run.machine())) {
            h.append("<tr><td>").append(esc(line.getKey())).append("</td><td>").append(esc(line.getValue())).append("</td></tr>");
        }
        h.append("<tr><td>App build</td><td>").append(esc(run.app() + " · " + (run.build() == null ? "unknown" : run.build()))).append("</td></tr>");
        h.append("<tr><td>Dataset</td><td>").append(esc(run.dataset() == null ? "each environment's store as it was found"
                : run.dataset().count() + " images (the same in every run), digest " + run.dataset().digest())).append("</td></tr>");
        h.append("<tr><td>Seed</td><td>").append(Long.toHexString(run.plan().seed())).append("</td></tr></tbody></table>");

        h.append("<h2>How to read the memory columns</h2><ul>")
                .append("<li><strong>App memory</strong> is the gallery JVM's resident set (RSS) in every environment: the like-for-like figure.</li>")
                .append("<li><strong>Environment memory</strong> is what each environment is as a whole: for the local process the same RSS; ")
                .append("for the container its cgroup memory as <code>docker stats</code> shows it (usage minus inactive file cache, every process ")
                .append("in the container); for the VM the guest's used memory (total minus available: the kernel, systemd, sshd and the JVM).</li>")
                .append("<li><strong>Host memory</strong> is what this machine pays: for the VM the hypervisor process's RSS, which includes the ")
                .append("guest's memory and, under emulation, QEMU's translation cache.</li>")
                .append("<li>Comparing a container's cgroup memory with one process's RSS in a VM is the mistake this report is laid out to avoid.</li></ul>");
        h.append("</main></body></html>\n");
        return h.toString();
    }

    private static String hex(String environment) {
        Color c = ChartStyle.color(environment);
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
