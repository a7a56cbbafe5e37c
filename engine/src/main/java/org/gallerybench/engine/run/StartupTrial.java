package org.gallerybench.engine.run;

import java.util.LinkedHashMap;
import java.util.Map;

import org.gallerybench.environments.StartTiming;

/**
 * One timed restart.
 *
 * @param kind        "cold start" (from stopped), "restart" (from serving), "fresh start", "boot"
 * @param totalMillis command issued to first 200
 * @param phases      each phase's length in ms, in order ("command issued → running": 310.5, ...)
 */
public record StartupTrial(String kind, double totalMillis, Map<String, Double> phases) {

    public boolean cold() {
        return StartTiming.COLD_START.equals(kind);
    }

    public boolean restart() {
        return StartTiming.RESTART.equals(kind);
    }

    public static StartupTrial of(StartTiming timing) {
        Map<String, Double> phases = new LinkedHashMap<>();
        timing.phases().forEach(p -> phases.put(p.from() + " → " + p.to(), p.millis()));
        return new StartupTrial(timing.kind(), timing.totalMillis(), phases);
    }
}
