package org.gallerybench.dashboard.bench;

/**
 * The figures of one environment, the ones the comparison table shows. Times in ms, memory in bytes, CPU in
 * percent of one core. Memory means and peaks cover the load phase only.
 */
public record Summary(double startupMedianMillis, double startupMinMillis, double startupMaxMillis, double startupRsdPercent,
                      double cpuMeanPercent, double cpuPeakPercent,
                      double appMemoryMeanBytes, double appMemoryPeakBytes,
                      double environmentMemoryMeanBytes, double environmentMemoryPeakBytes,
                      double hostCpuMeanPercent, double hostMemoryMeanBytes,
                      double requestsPerSecond, double p50Millis, double p90Millis, double p95Millis, double p99Millis, double p999Millis,
                      double maxMillis, long requests, long errors) {
}
