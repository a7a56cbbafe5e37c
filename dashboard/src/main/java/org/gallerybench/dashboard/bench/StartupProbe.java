package org.gallerybench.dashboard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.gallerybench.environments.Environment;

/**
 * Times restarts: N of them, each to the first HTTP 200 (the environment's readiness probe polls every 10 ms).
 * Optionally it goes on until the relative standard deviation of the totals is 3 % or less, or a maximum is reached.
 */
public final class StartupProbe {
    private StartupProbe() {
    }

    public static List<StartupTrial> measure(Environment env, int trials, boolean untilStable, int maxTrials, BooleanSupplier cancelled,
                                             Consumer<StartupTrial> each) {
        List<StartupTrial> out = new ArrayList<>();
        int limit = untilStable ? Math.max(trials, maxTrials) : trials;
        while (out.size() < limit && !cancelled.getAsBoolean()) {
            StartupTrial t = StartupTrial.of(env.restart());
            out.add(t);
            each.accept(t);
            if (untilStable && out.size() >= Math.max(3, trials) && rsd(out) <= RunPlan.STABLE_RSD_PERCENT) {
                break;
            }
        }
        return out;
    }

    static double rsd(List<StartupTrial> trials) {
        return Stats.rsdPercent(trials.stream().mapToDouble(StartupTrial::totalMillis).toArray());
    }
}
