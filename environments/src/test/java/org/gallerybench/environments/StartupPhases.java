package org.gallerybench.environments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Checks a start's "port open → first HTTP 200" phase against the server's known, test-only start delay. */
public final class StartupPhases {
    private StartupPhases() {
    }

    public static void assertDelay(StartTiming timing, long delayMillis, long toleranceMillis) {
        double phase = timing.between(StartTiming.PORT_OPEN, StartTiming.FIRST_200).orElseThrow().toNanos() / 1e6;
        assertThat(phase).as(timing.kind() + ": port open → first 200, phases " + timing.phases())
                .isCloseTo((double) delayMillis, within((double) toleranceMillis));
    }
}
