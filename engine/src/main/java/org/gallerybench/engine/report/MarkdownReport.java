package org.gallerybench.engine.report;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.gallerybench.engine.run.RunResult;
import java.util.Locale;
import org.gallerybench.engine.run.Fingerprint;

/** The comparison table in Markdown, in the spirit of the old study's table; the better value is in bold. */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static String render(RunResult run) {
        StringBuilder md = new StringBuilder();
        md.append("## ").append(run.app()).append(" · Gallery Bench run ").append(run.id()).append(run.label().isBlank() ? "" : " (" + run.label() + ")").append("\n\n");
        md.append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(run.startedAt())).append(" UTC · ")
                .append(run.machine().cores()).append(" cores · ").append(run.plan().isCapacitySearch() ? "capacity search, " + run.plan().capacity().describe()
                        : run.plan().load().describe() + " · " + run.plan().describeRounds()).append(" · seed ")
                .append(Long.toHexString(run.plan().seed())).append(" · status ")
                .append(run.status().name().toLowerCase(Locale.ROOT)).append("\n\n");
        List<String> headers = ComparisonTable.headers(run);
        md.append("| Metric |");
        headers.forEach(h -> md.append(' ').append(h).append(" |"));
        md.append("\n|---|");
        headers.forEach(h -> md.append("---:|"));
        md.append('\n');
        for (ComparisonTable.Row row : ComparisonTable.rows(run)) {
            md.append("| ").append(row.metric());
            if (!row.note().isBlank()) {
                md.append(" <sub>").append(row.note()).append("</sub>");
            }
            md.append(" |");
            for (ComparisonTable.Cell cell : row.cells()) {
                String text = cell.best() ? "**" + cell.text() + "**" : cell.text();
                md.append(' ').append(text);
                if (!cell.ratio().isEmpty()) {
                    md.append(" (").append(cell.ratio()).append(')');
                }
                if (!cell.cv().isEmpty()) {
                    md.append(" <sub>").append(cell.cv()).append("</sub>");
                }
                if (cell.noisy()) {
                    md.append(" ⚠"); // the warnings below say why
                }
                md.append(" |");
            }
            md.append('\n');
        }
        md.append("\nRatios are against ").append(run.environment(run.plan().baseline()).map(e -> e.displayName()).orElse(run.plan().baseline()))
                .append(", each with its interval from the rounds (from the timed starts for startup) in brackets and the level that"
                        + " interval really has (3 rounds a side: 90 %); none with fewer than 3. Figures are medians over rounds. Bold marks a"
                        + " side better than every other, its intervals (at 90 % or more) excluding 1 against each."
                        + " CV is the coefficient of variation over the rounds (the timed starts for startup); ⚠ marks a figure whose rounds"
                        + " are not to be trusted as they are (an outlier, a slow first round, two groups, a wide spread): the warnings say which.\n");
        if (OverheadTable.applies(run)) {
            md.append("\n### Overhead against the ").append(OverheadTable.baselineName(run).toLowerCase(Locale.ROOT)).append("\n\n");
            md.append("| Environment | Network path |");
            OverheadTable.columns(run).forEach(c -> md.append(' ').append(c.heading()).append(" |"));
            md.append("\n|---|---|");
            OverheadTable.columns(run).forEach(c -> md.append("---:|"));
            md.append('\n');
            for (OverheadTable.Row row : OverheadTable.rows(run)) {
                md.append("| ").append(row.name()).append(row.baseline() ? " (baseline)" : "").append(" | ").append(row.networkPath()).append(" |");
                row.cells().forEach(c -> md.append(' ').append(c.value()).append(c.ratio().isEmpty() ? "" : " (" + c.ratio() + ")").append(" |"));
                md.append('\n');
            }
            md.append('\n').append(OverheadTable.note(run)).append('\n');
        }
        if (run.plan().isCapacitySearch()) {
            md.append("\n### Capacity search\n\n").append(run.plan().capacity().describe()).append(".\n\n![Latency against throughput](capacity.png)\n");
            for (var e : run.environments()) {
                md.append("\n**").append(CapacityTable.summary(run, e)).append("**\n");
                List<List<String>> rows = CapacityTable.rows(e);
                if (rows.isEmpty()) {
                    continue;
                }
                md.append("\n| ").append(String.join(" | ", CapacityTable.HEADERS)).append(" |\n|");
                CapacityTable.HEADERS.forEach(x -> md.append("---|"));
                md.append('\n');
                rows.forEach(r -> md.append("| ").append(String.join(" | ", r)).append(" |\n"));
            }
        }
        List<String> noise = ComparisonTable.noise(run);
        if (!noise.isEmpty()) {
            md.append("\n**Noise** (the figures marked ⚠)\n\n");
            noise.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        if (!run.warnings().isEmpty()) {
            md.append("\n**Warnings**\n\n");
            run.warnings().forEach(w -> md.append("- ").append(w).append('\n'));
        }
        if (run.machine() != null) {
            md.append("\n**The machine**\n\n");
            Fingerprint.lines(run.machine())
                    .forEach(l -> md.append("- ").append(l.getKey()).append(": ").append(l.getValue()).append('\n'));
            md.append("- App build: ").append(run.app()).append(" · ").append(run.build() == null ? "unknown" : run.build()).append('\n');
            md.append("- Dataset: ").append(run.dataset() == null ? "each environment's store as it was found"
                    : run.dataset().count() + " images (the same in every run), digest " + run.dataset().digest()).append('\n');
        }
        return md.toString();
    }
}
