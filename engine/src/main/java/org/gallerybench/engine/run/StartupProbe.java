package org.gallerybench.engine.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.gallerybench.environments.Environment;

/**
 * Times starts, the same way in every environment: N cold starts (from stopped to the first HTTP 200, the headline
 * "startup"), then N restarts (from serving, the stop its own phase). The readiness probe polls every 10 ms.
 * Optionally the cold starts go on until the relative standard deviation of their totals is 3 % or less, or a
 * maximum is reached.
 */
public final class StartupProbe {
    private StartupProbe() {
    }

    public static List<StartupTrial> measure(Environment env, int trials, boolean untilStable, int maxTrials, BooleanSupplier cancelled,
                                             Consumer<StartupTrial> each) {
        List<StartupTrial> cold = new ArrayList<>();
        int limit = untilStable ? Math.max(trials, maxTrials) : trials;
        while (cold.size() < limit && !cancelled.getAsBoolean()) {
            StartupTrial t = StartupTrial.of(env.coldStart());
            cold.add(t);
            each.accept(t);
            if (untilStable && cold.size() >= Math.max(3, trials) && rsd(cold) <= RunPlan.STABLE_RSD_PERCENT) {
                break;
            }
        }
        List<StartupTrial> out = new ArrayList<>(cold);
        for (int i = 0; i < trials && !cancelled.getAsBoolean(); i++) {
            StartupTrial t = StartupTrial.of(env.restart());
            out.add(t);
            each.accept(t);
        }
        return out;
    }

    static double rsd(List<StartupTrial> trials) {
        return Stats.rsdPercent(trials.stream().mapToDouble(StartupTrial::totalMillis).toArray());
    }
}
