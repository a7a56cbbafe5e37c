package org.gallerybench.engine.report;

import java.util.Locale;

import org.gallerybench.engine.run.EnvironmentResult;
import org.gallerybench.engine.load.LoadTick;
import org.gallerybench.engine.run.ResourcePoint;
import org.gallerybench.engine.run.RunResult;

/** The time series as CSV: one row per resource sample and per load second, for spreadsheets and scripts. */
public final class CsvReport {
    static final String HEADER = "environment,series,seconds,cpu_percent,app_memory_bytes,environment_memory_bytes,host_cpu_percent,"
            + "host_memory_bytes,requests_per_second,errors,p50_ms,p90_ms,p95_ms,p99_ms,max_ms\n";

    private CsvReport() {
    }

    public static String render(RunResult run) {
        StringBuilder csv = new StringBuilder(HEADER);
        for (EnvironmentResult env : run.environments()) {
            for (ResourcePoint p : env.resources()) {
                csv.append(env.environment()).append(",resources,").append(n(p.seconds())).append(',').append(n(p.cpuPercent())).append(',')
                        .append(p.appMemoryBytes() < 0 ? "" : p.appMemoryBytes()).append(',')
                        .append(p.environmentMemoryBytes() < 0 ? "" : p.environmentMemoryBytes()).append(',')
                        .append(n(p.hostCpuPercent())).append(',').append(p.hostMemoryBytes() < 0 ? "" : p.hostMemoryBytes())
                        .append(",,,,,,,\n");
            }
            if (env.load() != null) {
                for (LoadTick t : env.load().ticks()) {
                    csv.append(env.environment()).append(",load,").append(t.second()).append(",,,,,,")
                            .append(n(t.requestsPerSecond())).append(',').append(t.errors()).append(',').append(n(t.p50Millis())).append(',')
                            .append(n(t.p90Millis())).append(',').append(n(t.p95Millis())).append(',').append(n(t.p99Millis())).append(',')
                            .append(n(t.maxMillis())).append('\n');
                }
            }
        }
        return csv.toString();
    }

    private static String n(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }
}
