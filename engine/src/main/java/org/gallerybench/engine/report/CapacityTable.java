package org.gallerybench.engine.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.gallerybench.engine.run.CapacityStep;
import org.gallerybench.engine.run.EnvironmentResult;
import org.gallerybench.engine.run.RunResult;
import org.gallerybench.engine.run.Fingerprint;

/** A capacity search's steps, as rows of text for the Markdown and HTML reports (issue 14). */
public final class CapacityTable {
    public static final List<String> HEADERS = List.of("Step", "Target", "Achieved", "p50", "p90", "p99", "p99.9", "Errors", "Missed",
            "CPU", "Host CPU", "App memory", "Verdict");

    private CapacityTable() {
    }

    /** One environment's steps, each a row of HEADERS' cells. */
    public static List<List<String>> rows(EnvironmentResult e) {
        List<List<String>> out = new ArrayList<>();
        if (e.capacity() == null) {
            return out;
        }
        for (CapacityStep s : e.capacity().steps()) {
            out.add(List.of(s.index() + " " + s.phase(), Fmt.rate(s.targetRate()), Fmt.rate(s.achievedRate()), Fmt.millis(s.p50Millis()),
                    Fmt.millis(s.p90Millis()), Fmt.millis(s.p99Millis()), Fmt.millis(s.p999Millis()), Fmt.count(s.errors()),
                    Fmt.count(s.missed()), Fmt.percent(s.cpuPercent()), Fmt.percent(s.hostCpuPercent()), Fmt.mib(s.appMemoryBytes()),
                    (s.passed() ? "✓ " : s.valid() ? "✗ " : "invalid: ") + s.verdict()));
        }
        return out;
    }

    /** "Local process: 2,400/s at p99 < 50 ms (achieved 2,391/s). Between ... within 5 %." */
    public static String summary(RunResult run, EnvironmentResult e) {
        var c = e.capacity();
        String name = run.emulated(e.environment())
                ? e.displayName() + " (" + Fingerprint.EMULATION_WARNING + ")" : e.displayName();
        if (c == null) {
            return name + ": not measured" + (e.failure() == null ? "." : ": " + e.failure());
        }
        return name + ": " + (c.found() ? String.format(Locale.ROOT, "%,.0f/s%s at %s (achieved %,.0f/s). ", c.capacityRate(),
                c.generatorLimited() ? " at least" : "", c.objective(), c.achievedRate()) : "no step held " + c.objective() + ". ") + c.note();
    }
}
