package org.gallerybench.engine.run;

import java.util.List;

/**
 * What a capacity search found for one environment.
 *
 * @param objective        the objective, described ("p99 < 50 ms")
 * @param capacityRate     the highest target rate that held the objective, requests per second; NaN when none did
 * @param achievedRate     what that step achieved, successful answers per second
 * @param steps            every step, in order
 * @param generatorLimited the search stopped because the generator could not send a step's rate: the capacity is
 *                         then a lower bound, and the server's real one is higher
 * @param note             how the search ended, in words
 */
public record CapacityResult(String objective, double capacityRate, double achievedRate, List<CapacityStep> steps, boolean generatorLimited,
                             String note) {

    public CapacityResult {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public boolean found() {
        return !Double.isNaN(capacityRate);
    }
}
