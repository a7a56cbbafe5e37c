package org.gallerybench.engine.cli;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.gallerybench.engine.run.EnvironmentResult;
import org.gallerybench.engine.run.Summary;
import java.io.PrintWriter;
import java.util.List;
import org.gallerybench.engine.run.RunResult;

/**
 * A pass/fail condition on a run, e.g. {@code p95<200ms}, {@code rps>=1000}, {@code errors=0},
 * {@code docker.startup<2s}. Without an environment prefix it applies to every measured environment.
 */
record Threshold(String text, Optional<String> environment, String metric, String op, double value) {
    private static final Pattern FORM = Pattern.compile(
            "(?:(local|docker|gvisor|vm|(?:docker|gvisor):(?:published|host))\\.)?([a-z0-9.\\-]+)\\s*(<=|>=|<|>|=)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|%|mib|mb|/s|req/s)?");

    static Threshold parse(String text) {
        Matcher m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("bad threshold '" + text + "': write it like p95<200ms, rps>1000, errors=0 or docker.startup<2s");
        }
        String metric = m.group(2);
        double v = Double.parseDouble(m.group(4));
        String unit = m.group(5) == null ? "" : m.group(5);
        switch (metric) {
            case "p50", "p90", "p95", "p99", "p999", "max", "startup" -> v = unit.equals("s") ? v * 1000 : v;
            case "memory", "app-memory", "host-memory" -> v = v * 1024 * 1024;
            case "rps", "requests", "errors", "error-rate", "cpu", "capacity" -> {
            }
            default -> throw new IllegalArgumentException("unknown metric '" + metric + "' in threshold '" + text
                    + "': use startup, rps, p50, p90, p95, p99, p999, max, errors, error-rate, cpu, memory, app-memory, host-memory"
                    + " or capacity");
        }
        return new Threshold(text, Optional.ofNullable(m.group(1)), metric, m.group(3), v);
    }

    boolean appliesTo(EnvironmentResult env) {
        return environment.map(e -> e.equals(env.environment())).orElse(true);
    }

    /** The environment's figure for this metric; NaN when it has none (not measured, or no capacity search). */
    double actual(EnvironmentResult e) {
        if (metric.equals("capacity")) {
            return e.capacity() == null ? Double.NaN : e.capacity().capacityRate();
        }
        return e.summary() == null ? Double.NaN : actual(e.summary());
    }

    double actual(Summary s) {
        return switch (metric) {
            case "p50" -> s.p50Millis();
            case "p90" -> s.p90Millis();
            case "p95" -> s.p95Millis();
            case "p99" -> s.p99Millis();
            case "p999" -> s.p999Millis();
            case "max" -> s.maxMillis();
            case "startup" -> s.startupMedianMillis();
            case "rps", "requests" -> s.requestsPerSecond();
            case "errors" -> s.errors();
            case "error-rate" -> s.requests() == 0 ? 0 : 100.0 * s.errors() / s.requests();
            case "cpu" -> s.cpuMeanPercent();
            case "memory" -> s.environmentMemoryMeanBytes();
            case "app-memory" -> s.appMemoryMeanBytes();
            case "host-memory" -> s.hostMemoryMeanBytes();
            default -> throw new IllegalStateException(metric);
        };
    }

    boolean passes(EnvironmentResult e) {
        double a = actual(e);
        if (Double.isNaN(a)) {
            return false;
        }
        return switch (op) {
            case "<" -> a < value;
            case "<=" -> a <= value;
            case ">" -> a > value;
            case ">=" -> a >= value;
            default -> Math.abs(a - value) < 1e-9;
        };
    }

    /** Checks every condition against every environment it applies to, printing one line each; 1 if one fails, else 0. */
    static int checkAll(RunResult result, List<Threshold> checks, PrintWriter stdout) {
        int exit = GalleryBenchCli.OK;
        for (Threshold t : checks) {
            for (EnvironmentResult e : result.environments()) {
                if (!t.appliesTo(e)) {
                    continue;
                }
                boolean pass = t.passes(e);
                stdout.printf(Locale.ROOT, "threshold %-22s %-7s %s (actual %.2f)%n", t.text(), e.environment(), pass ? "ok" : "FAILED",
                        t.actual(e));
                if (!pass) {
                    exit = GalleryBenchCli.THRESHOLD_FAILED;
                }
            }
        }
        stdout.flush();
        return exit;
    }
}
