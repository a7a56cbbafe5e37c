package org.gallerybench.engine.run;

import java.util.Map;

/**
 * The figures of one environment, the ones the comparison table shows. Times in ms, memory in bytes, CPU in
 * percent of one core. Startup is the cold start (from stopped to the first 200), restart is from serving (the stop
 * its own phase). Throughput, latency, CPU and memory are medians over the rounds (each round's mean over its
 * measured window); startup is the median over the timed starts; peaks are over every sample of the load.
 *
 * @param rounds    the independent rounds the medians are over
 * @param intervals the figures' intervals (each with the level it has), by metric name ("requests/s", "p99", "startup", ...), from the
 *                  rounds or the trials; only for figures with 3 or more independent samples
 */
public record Summary(double startupMedianMillis, double startupMinMillis, double startupMaxMillis, double startupRsdPercent,
                      double restartMedianMillis,
                      double cpuMeanPercent, double cpuPeakPercent,
                      double appMemoryMeanBytes, double appMemoryPeakBytes,
                      double environmentMemoryMeanBytes, double environmentMemoryPeakBytes,
                      double hostCpuMeanPercent, double hostMemoryMeanBytes,
                      double requestsPerSecond, double p50Millis, double p90Millis, double p95Millis, double p99Millis, double p999Millis,
                      double maxMillis, long requests, long errors, long timeouts, long missed, int rounds,
                      Map<String, Stats.Interval> intervals) {

    public Summary {
        intervals = intervals == null ? Map.of() : Map.copyOf(intervals);
    }

    /** The same figures with these intervals. */
    public Summary withIntervals(Map<String, Stats.Interval> newIntervals) {
        return new Summary(startupMedianMillis, startupMinMillis, startupMaxMillis, startupRsdPercent, restartMedianMillis, cpuMeanPercent,
                cpuPeakPercent, appMemoryMeanBytes, appMemoryPeakBytes, environmentMemoryMeanBytes, environmentMemoryPeakBytes, hostCpuMeanPercent,
                hostMemoryMeanBytes, requestsPerSecond, p50Millis, p90Millis, p95Millis, p99Millis, p999Millis, maxMillis, requests, errors,
                timeouts, missed, rounds, newIntervals);
    }
}
