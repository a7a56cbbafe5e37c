package org.gallerybench.environments;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks a start's "port open → first HTTP 200" phase against the server's known, test-only start delay. */
public final class StartupPhases {
    /** How close the measured phase must be to the known delay, either way. */
    public static final long WITHIN_MILLIS = 30;

    private StartupPhases() {
    }

    /**
     * The phase is the delay, give or take {@code earlyMillis} below and {@code lateMillis} above. It runs late by
     * the probe's 10 ms interval and the first page a fresh JVM renders: measured here (local and docker, 12 starts)
     * at +2 to +26 ms over a 600 ms delay.
     */
    public static void assertDelay(StartTiming timing, long delayMillis, long earlyMillis, long lateMillis) {
        double phase = timing.between(StartTiming.PORT_OPEN, StartTiming.FIRST_200).orElseThrow().toNanos() / 1e6;
        assertThat(phase).as(timing.kind() + ": port open → first 200, phases " + timing.phases())
                .isBetween((double) delayMillis - earlyMillis, (double) delayMillis + lateMillis);
    }

    /**
     * A cold start and then a restart of {@code env}, whose server was told to answer 503 for {@code delayMillis}
     * after it starts listening: each has the phases it should, and "port open → first 200" is the delay.
     */
    public static void assertColdStartAndRestart(Environment env, long delayMillis) {
        StartTiming cold = env.coldStart();
        assertThat(cold.kind()).isEqualTo(StartTiming.COLD_START);
        assertThat(cold.marks()).extracting(StartTiming.Mark::name)
                .containsExactly(StartTiming.ISSUED, StartTiming.RUNNING, StartTiming.PORT_OPEN, StartTiming.FIRST_200);
        assertDelay(cold, delayMillis, WITHIN_MILLIS, WITHIN_MILLIS);
        StartTiming restart = env.restart();
        assertThat(restart.marks()).extracting(StartTiming.Mark::name).containsExactly(StartTiming.ISSUED, StartTiming.STOPPED,
                StartTiming.START_ISSUED, StartTiming.RUNNING, StartTiming.PORT_OPEN, StartTiming.FIRST_200);
        assertDelay(restart, delayMillis, WITHIN_MILLIS, WITHIN_MILLIS);
    }
}
