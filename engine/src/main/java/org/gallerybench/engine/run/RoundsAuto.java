package org.gallerybench.engine.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rounds until stable ({@code --rounds auto}): interleaved rounds are added until every headline figure (requests/s and
 * p50) of every environment has an interval at {@link Stats#SURE_LEVEL} or more ({@link Stats#medianInterval}: the
 * level its rounds really give) within ±{@code targetPercent} of its median, or {@code maxRounds} rounds are done, or
 * {@code maxTime} has passed since the first round began. Never fewer than {@value #MIN_ROUNDS}: fewer rounds cannot give
 * a median an interval that sure (3 give [min, max] at 75 %, 5 at 93.8 %). Each round gets a third of the load's duration, as three fixed rounds would. p99 is not a stopping
 * criterion: the tail of a round of a few seconds is a handful of requests, and on a shared machine it rarely settles
 * (seen in CI: 34 to 84 ms between rounds of a server spending a fixed 20 ms on each request), so rounds would always run
 * to the maximum; its width is shown as every figure's is (CV, ⚠).
 *
 * @param maxTime null for no limit but the rounds
 */
public record RoundsAuto(double targetPercent, int maxRounds, Duration maxTime) {
    public static final int MIN_ROUNDS = 5;

    public RoundsAuto {
        if (!(targetPercent > 0 && targetPercent < 100)) {
            throw new IllegalArgumentException("the target width must be between 0 and 100 %, got " + targetPercent);
        }
        if (maxRounds < MIN_ROUNDS || maxRounds > 100) {
            throw new IllegalArgumentException("rounds until stable need a maximum of " + MIN_ROUNDS + " to 100 rounds, got " + maxRounds);
        }
    }

    public static RoundsAuto defaults() {
        return new RoundsAuto(5, 10, null);
    }

    /** "auto (±5 %, 5 to 10 rounds)". */
    public String describe() {
        return String.format(Locale.ROOT, "auto (±%s %%, %d to %d rounds%s)", number(targetPercent), MIN_ROUNDS, maxRounds,
                maxTime == null ? "" : ", at most " + maxTime.toMinutes() + " min");
    }

    /** A headline figure that has not settled: its name and its interval's half-width, in percent of its median. */
    public record Unsettled(Metric figure, double halfWidthPercent) {
    }

    /**
     * The headline figures of these rounds whose interval is wider than the target, or less sure than
     * {@link Stats#SURE_LEVEL} (all of them with fewer than {@value #MIN_ROUNDS} rounds).
     */
    public List<Unsettled> unsettled(List<RoundFigures> rounds) {
        List<Unsettled> out = new ArrayList<>();
        for (Metric figure : Metric.HEADLINE) {
            double[] v = rounds.stream().mapToDouble(figure::of).toArray();
            Stats.Interval i = Stats.medianInterval(v);
            double half = i == null || !i.sure() || i.estimate() == 0 ? Double.POSITIVE_INFINITY
                    : 100 * Math.max(i.high() - i.estimate(), i.estimate() - i.low()) / Math.abs(i.estimate());
            if (!(half <= targetPercent)) {
                out.add(new Unsettled(figure, half));
            }
        }
        return out;
    }

    /** The warning for an environment whose figures did not settle: which, how wide, and why it stopped. */
    String warning(String environment, List<Unsettled> unsettled, int rounds, boolean outOfTime) {
        String figures = String.join(", ", unsettled.stream().map(u -> Double.isInfinite(u.halfWidthPercent()) ? u.figure().id()
                : String.format(Locale.ROOT, "%s ±%.1f %%", u.figure(), u.halfWidthPercent())).toList());
        return environment + ": " + figures + (unsettled.size() == 1 ? " did" : " did") + " not settle within ±" + number(targetPercent) + " % after "
                + rounds + " rounds (" + (outOfTime ? "the time limit" : "the maximum") + " reached): its rounds vary more than that; read its"
                + " intervals, or measure on a quieter machine.";
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, v == Math.rint(v) ? "%.0f" : "%.1f", v);
    }
}
