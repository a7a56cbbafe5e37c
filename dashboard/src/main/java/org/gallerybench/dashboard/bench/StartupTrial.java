package org.gallerybench.dashboard.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.gallerybench.environments.StartTiming;

/**
 * One timed restart.
 *
 * @param kind        "restart", "fresh start", "boot"
 * @param totalMillis command issued to first 200
 * @param phases      each phase's length in ms, in order ("command issued → running": 310.5, ...)
 */
public record StartupTrial(String kind, double totalMillis, Map<String, Double> phases) {

    public static StartupTrial of(StartTiming timing) {
        Map<String, Double> phases = new LinkedHashMap<>();
        timing.phases().forEach(p -> phases.put(p.from() + " → " + p.to(), p.millis()));
        return new StartupTrial(timing.kind(), timing.totalMillis(), phases);
    }
}
