package org.gallerybench.engine.bench;

/**
 * One metric of one environment against the baseline.
 *
 * @param metric      "startup", "cpu", "app memory", "environment memory", "requests/s", "p50", "p95", "p99"
 * @param unit        "ms", "%", "bytes", "req/s"
 * @param baseline    the baseline environment's id
 * @param other       the compared environment's id
 * @param baseValue   the baseline's figure
 * @param otherValue  the other's figure
 * @param ratio       other / baseline
 * @param ciLow       95 % bootstrap interval of the ratio
 * @param ciHigh      ...
 * @param better      the id of the better side, or "neither" when the interval includes 1
 */
public record MetricComparison(String metric, String unit, String baseline, String other, double baseValue, double otherValue, double ratio,
                               double ciLow, double ciHigh, String better) {
}
