package org.gallerybench.dashboard.bench;

import java.util.List;

/**
 * Everything measured for one environment. When the environment could not be measured, {@code failure} says why
 * (and what to do), and the measurements are empty; the other environments of the run are not affected.
 *
 * @param environment   its id: local, docker, vm
 * @param displayName   for people
 * @param endpoint      where it served
 * @param startupTrials the timed restarts
 * @param resources     CPU and memory samples
 * @param load          the load phase (ticks, histograms, errors)
 * @param summary       the table's figures
 * @param failure       null, or why it could not be measured
 */
public record EnvironmentResult(String environment, String displayName, String endpoint, List<StartupTrial> startupTrials,
                                List<ResourcePoint> resources, LoadResult load, Summary summary, String failure) {

    public boolean measured() {
        return failure == null && summary != null;
    }
}
