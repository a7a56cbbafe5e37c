package org.gallerybench.engine.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The search itself, apart from how a step is measured: doubling from the start rate until the objective fails,
 * then bisection between the last passing and the first failing rate to within the plan's precision. A start that
 * already fails is halved (down to 1/s) until a step passes. A step the generator could not send ends the search:
 * the result is then a lower bound, and says so.
 */
public final class CapacitySearch {
    /** Measures one step at a rate. */
    @FunctionalInterface
    public interface Prober {
        CapacityStep probe(int index, String phase, double rate);
    }

    private final CapacityPlan plan;

    public CapacitySearch(CapacityPlan plan) {
        this.plan = plan;
    }

    public CapacityResult run(Prober prober) {
        List<CapacityStep> steps = new ArrayList<>();
        CapacityStep best = null;
        double failing = Double.NaN;
        double rate = plan.startRate();
        String phase = "up";
        // Coarse: double while it passes; halve while the start fails.
        while (steps.size() < plan.maxSteps()) {
            CapacityStep s = prober.probe(steps.size() + 1, phase, rate);
            steps.add(s);
            if (!s.valid()) {
                return result(steps, best, true, "Stopped at " + fmt(rate) + "/s: " + s.verdict() + ". The capacity is at least the last"
                        + " passing rate; the server's real one is higher. Use fewer connections, or run the generator elsewhere.");
            }
            if (s.passed()) {
                best = s;
                if (!Double.isNaN(failing)) {
                    break; // halving found a passing rate under the failing start
                }
                if (rate * 2 > plan.maxRate()) {
                    return result(steps, best, false, "Held the objective up to the search's ceiling of " + fmt(plan.maxRate()) + "/s.");
                }
                rate *= 2;
            } else {
                failing = Double.isNaN(failing) ? rate : Math.min(failing, rate);
                if (best != null) {
                    break;
                }
                if (rate / 2 < 1) {
                    return result(steps, null, false, "The objective failed even at " + fmt(rate) + "/s.");
                }
                rate /= 2;
                phase = "down";
            }
        }
        // Bisection between the last pass and the first failure above it.
        double low = best == null ? Double.NaN : best.targetRate();
        double high = failing;
        while (best != null && !Double.isNaN(high) && high > low * (1 + plan.precision()) && steps.size() < plan.maxSteps()) {
            double mid = (low + high) / 2;
            CapacityStep s = prober.probe(steps.size() + 1, "bisect", mid);
            steps.add(s);
            if (!s.valid()) {
                return result(steps, best, true, "Stopped at " + fmt(mid) + "/s: " + s.verdict() + ". The capacity is at least the last"
                        + " passing rate; the server's real one is higher.");
            }
            if (s.passed()) {
                best = s;
                low = mid;
            } else {
                high = mid;
            }
        }
        if (best == null) {
            return result(steps, null, false, "No step held the objective within " + plan.maxSteps() + " steps.");
        }
        boolean converged = Double.isNaN(high) || high <= low * (1 + plan.precision());
        return result(steps, best, false, converged
                ? String.format(Locale.ROOT, "Between %s/s (held) and %s/s (failed): within %.0f %%.", fmt(low), fmt(high), plan.precision() * 100)
                : "Stopped after " + plan.maxSteps() + " steps, between " + fmt(low) + "/s (held) and " + fmt(high) + "/s (failed).");
    }

    private CapacityResult result(List<CapacityStep> steps, CapacityStep best, boolean generatorLimited, String note) {
        return new CapacityResult(plan.objective().describe(), best == null ? Double.NaN : best.targetRate(),
                best == null ? Double.NaN : best.achievedRate(), steps, generatorLimited, note);
    }

    private static String fmt(double rate) {
        return String.format(Locale.ROOT, "%,.0f", rate);
    }
}
