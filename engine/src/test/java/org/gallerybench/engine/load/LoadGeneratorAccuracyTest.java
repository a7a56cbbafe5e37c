package org.gallerybench.engine.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The numbers must be right, not merely present: against servers whose behaviour is known exactly. */
@org.junit.jupiter.api.parallel.Isolated("timing-sensitive: its figures are checked against known servers, so nothing else may load the cores")
class LoadGeneratorAccuracyTest {

    @Test
    void theMedianOfAServerThatAnswersAfterAKnownDelayIsThatDelay() throws Exception {
        try (TestTarget target = new TestTarget()) {
            target.delayNanos = Duration.ofMillis(20).toNanos();
            LoadResult r = new LoadGenerator(target.uri(), LoadProfile.closed(4, Duration.ofSeconds(3)).withWarmup(Duration.ofSeconds(1)))
                    .run(t -> { }, () -> false);
            assertThat(r.latency().p50Millis()).isCloseTo(20.0, within(2.0));
            assertThat(r.errors()).isZero();
            // 4 in flight, 20 ms each: about 200 requests a second, and nothing much faster or slower.
            assertThat(r.requestsPerSecond()).isBetween(150.0, 205.0);
        }
    }

    /**
     * One 1 s stall. The closed loop (4 in flight) has only 4 requests caught in it, out of thousands: its p99 does
     * not move, and its throughput simply pauses. The open loop (a constant 400/s) keeps a schedule: the requests
     * due during the stall are all late, and latency measured from their intended time shows it in the p99.
     */
    @Test
    void anOpenLoopShowsAStallThatAClosedLoopHides() throws Exception {
        LoadResult closed;
        LoadResult open;
        try (TestTarget target = new TestTarget()) {
            target.stallOnce(1500, 1000);
            closed = new LoadGenerator(target.uri(), LoadProfile.closed(4, Duration.ofSeconds(5))).run(t -> { }, () -> false);
        }
        try (TestTarget target = new TestTarget()) {
            target.stallOnce(1500, 1000);
            open = new LoadGenerator(target.uri(), LoadProfile.open(400, 16, Duration.ofSeconds(5))).run(t -> { }, () -> false);
        }
        assertThat(closed.latency().count()).isGreaterThan(2000);
        assertThat(closed.latency().p99Millis()).as("closed-loop p99").isLessThan(50.0);
        assertThat(closed.latency().maxMillis()).as("the few stalled requests still show in the max").isGreaterThan(900.0);

        assertThat(open.latency().p99Millis()).as("open-loop p99").isGreaterThan(700.0);
        assertThat(open.latency().p50Millis()).as("open-loop p50, outside the stall").isLessThan(50.0);
        // About 400 of 2,000 requests were due during the stall: p90 shows it too.
        assertThat(open.latency().p90Millis()).isGreaterThan(100.0);
    }

    @Test
    void theOpenLoopKeepsItsRate() throws Exception {
        try (TestTarget target = new TestTarget()) {
            LoadResult r = new LoadGenerator(target.uri(), LoadProfile.open(300, 8, Duration.ofSeconds(4))).run(t -> { }, () -> false);
            assertThat(r.requestsPerSecond()).isCloseTo(300.0, within(15.0));
            assertThat(r.ticks()).hasSize(4).allSatisfy(t -> assertThat(t.requestsPerSecond()).isCloseTo(300.0, within(40.0)));
        }
    }

    @Test
    void thePoolHoldsAsManyConnectionsAsTheConcurrency() throws Exception {
        // HttpClient's default pool (5 per route) would cap this at 5 / 20 ms = 250 requests a second.
        try (TestTarget target = new TestTarget()) {
            target.delayNanos = Duration.ofMillis(20).toNanos();
            LoadResult r = new LoadGenerator(target.uri(), LoadProfile.closed(64, Duration.ofSeconds(3)).withWarmup(Duration.ofSeconds(1)))
                    .run(t -> { }, () -> false);
            assertThat(r.requestsPerSecond()).isGreaterThan(1500.0);
            assertThat(r.latency().p50Millis()).isCloseTo(20.0, within(5.0));
        }
    }

    @Test
    void non2xxAnswersAreErrorsNeverSuccesses() throws Exception {
        for (int status : new int[] {404, 505, 500}) {
            try (TestTarget target = new TestTarget()) {
                target.status = status;
                LoadResult r = new LoadGenerator(target.uri(), LoadProfile.closed(2, Duration.ofSeconds(1))).run(t -> { }, () -> false);
                assertThat(r.successes()).as("successes with HTTP " + status).isZero();
                assertThat(r.errorsByKind().get(ErrorKind.NON_2XX)).isPositive();
                assertThat(r.statusCodes()).containsOnlyKeys(status);
                assertThat(r.latency().count()).isZero();
            }
        }
    }

    @Test
    void refusedConnectionsAndTimeoutsAreCountedByKind() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        LoadResult refused = new LoadGenerator(URI.create("http://127.0.0.1:" + closed + "/"), LoadProfile.closed(2, Duration.ofSeconds(1)))
                .run(t -> { }, () -> false);
        assertThat(refused.errorsByKind().get(ErrorKind.CONNECT)).isPositive();
        assertThat(refused.successes()).isZero();

        try (TestTarget target = new TestTarget()) {
            target.delayNanos = Duration.ofSeconds(3).toNanos();
            LoadResult slow = new LoadGenerator(target.uri(), LoadProfile.closed(2, Duration.ofSeconds(2))
                    .withRequestTimeout(Duration.ofMillis(500))).run(t -> { }, () -> false);
            assertThat(slow.errorsByKind().get(ErrorKind.TIMEOUT)).isPositive();
            assertThat(slow.successes()).isZero();
        }
    }

    @Test
    void aRequestCountStopsAtExactlyThatMany() throws Exception {
        try (TestTarget target = new TestTarget()) {
            LoadResult r = new LoadGenerator(target.uri(), LoadProfile.requests(8, 500)).run(t -> { }, () -> false);
            assertThat(r.successes() + r.errors()).isEqualTo(500);
            assertThat(target.count("GET /")).isEqualTo(500);
        }
    }

    @Test
    void theMixIsSentInProportion() throws Exception {
        try (TestTarget target = new TestTarget()) {
            LoadProfile profile = LoadProfile.requests(4, 1000)
                    .withMix(RequestMix.parse("page=50,image=30,upload=20")).withUploadBytes(8 * 1024);
            LoadResult r = new LoadGenerator(target.uri(), profile).run(t -> { }, () -> false);
            assertThat(r.errors()).isZero();
            assertThat(target.count("GET /")).isCloseTo(500, within(20L));
            assertThat(target.count("GET /images")).isCloseTo(300, within(20L));
            assertThat(target.count("POST /upload")).isCloseTo(200, within(20L));
            assertThat(r.latencyByKind()).containsOnlyKeys(RequestKind.PAGE, RequestKind.IMAGE, RequestKind.UPLOAD);
        }
    }

    @Test
    void ticksArriveOncePerSecondWithThatSecondsFigures() throws Exception {
        List<LoadTick> seen = new ArrayList<>();
        try (TestTarget target = new TestTarget()) {
            target.delayNanos = Duration.ofMillis(5).toNanos();
            LoadResult r = new LoadGenerator(target.uri(), LoadProfile.closed(2, Duration.ofSeconds(3))).run(seen::add, () -> false);
            assertThat(seen).hasSize(3).extracting(LoadTick::second).containsExactly(1, 2, 3);
            assertThat(seen).allSatisfy(t -> {
                assertThat(t.p50Millis()).isCloseTo(5.0, within(2.0));
                assertThat(t.requestsPerSecond()).isBetween(250.0, 420.0);
                assertThat(t.byKind()).isEqualTo(Map.of(RequestKind.PAGE, (long) t.requestsPerSecond()));
            });
            assertThat(seen.stream().mapToDouble(LoadTick::requestsPerSecond).sum()).isLessThanOrEqualTo(r.successes());
        }
    }

    @Test
    void cancellingStopsTheLoadPromptly() throws Exception {
        try (TestTarget target = new TestTarget()) {
            long start = System.nanoTime();
            LoadResult r = new LoadGenerator(target.uri(), LoadProfile.closed(4, Duration.ofSeconds(60)))
                    .run(t -> { }, () -> System.nanoTime() - start > Duration.ofSeconds(1).toNanos());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(r.seconds()).isLessThan(3.0);
        }
    }
}
