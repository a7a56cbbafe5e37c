package org.gallerybench.engine.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.gallerybench.engine.load.FaultyServer.Fault;
import org.junit.jupiter.api.Test;

/**
 * No connection loop ends silently: against servers that throw, reset, stall and talk garbage, every failure is
 * counted by kind with its first message, the loops go on to the end, and the accounting is wrk's.
 */
@org.junit.jupiter.api.parallel.Isolated("timing-sensitive: its figures are checked against known servers, so nothing else may load the cores")
class LoadGeneratorFaultsTest {

    @Test
    void errorsAreCountedByKindAndTheLoopsStayAliveToTheEnd() throws Exception {
        List<LoadTick> ticks = new ArrayList<>();
        LoadResult r;
        try (FaultyServer server = new FaultyServer(Fault.OK, Fault.OK, Fault.OK, Fault.THROW, Fault.OK, Fault.RESET, Fault.OK, Fault.STALL,
                Fault.OK, Fault.GARBAGE)) {
            r = new LoadGenerator(server.uri(), LoadProfile.closed(8, Duration.ofSeconds(5)).withRequestTimeout(Duration.ofMillis(400)))
                    .run(ticks::add, () -> false);
        }
        assertThat(r.errorsByKind().get(ErrorKind.NON_2XX)).as("500s").isPositive();
        assertThat(r.errorsByKind().get(ErrorKind.RESET)).as("resets").isPositive();
        assertThat(r.errorsByKind().get(ErrorKind.TIMEOUT)).as("stalls").isPositive();
        assertThat(r.errorsByKind().get(ErrorKind.PROTOCOL)).as("garbage").isPositive();
        assertThat(r.errorsByKind().get(ErrorKind.CLIENT)).as("the generator's own failures").isZero();
        assertThat(r.firstErrors()).containsKeys(ErrorKind.NON_2XX, ErrorKind.RESET, ErrorKind.TIMEOUT, ErrorKind.PROTOCOL);
        assertThat(r.firstErrors().get(ErrorKind.NON_2XX)).isEqualTo("HTTP 500 on page");
        assertThat(r.describeErrors()).contains("connection reset").contains("timed out").doesNotContain("Exception");
        assertThat(r.abortedBecause()).isNull();
        assertThat(ticks).hasSize(5).allSatisfy(t -> assertThat(t.requestsPerSecond()).as("successes in second %d", t.second()).isPositive());
        assertThat(r.requests()).isEqualTo(r.successes() + r.errors());
    }

    @Test
    void theDeadlineCoversTheWholeExchangeNotAnIdleSocket() throws Exception {
        LoadResult r;
        try (FaultyServer server = new FaultyServer(Fault.TRICKLE)) {
            // A byte every 150 ms: never idle for long, but the whole answer takes 6 s. The deadline is 1 s.
            r = new LoadGenerator(server.uri(), LoadProfile.closed(2, Duration.ofSeconds(3)).withRequestTimeout(Duration.ofSeconds(1)))
                    .run(t -> { }, () -> false);
        }
        assertThat(r.successes()).isZero();
        assertThat(r.timeouts()).as("about one per connection per second").isGreaterThanOrEqualTo(4);
        assertThat(r.firstErrors().get(ErrorKind.TIMEOUT)).isEqualTo("no complete answer within 1000 ms");
    }

    @Test
    void whenEveryRequestFailsThePhaseEndsEarlyWithOneClearLineAndConnectsBackOff() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        long start = System.nanoTime();
        LoadResult r = new LoadGenerator(URI.create("http://127.0.0.1:" + closed + "/"), LoadProfile.closed(4, Duration.ofSeconds(60)))
                .run(t -> { }, () -> false);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("ended early, not after 60 s").isLessThan(Duration.ofSeconds(10));
        assertThat(r.abortedBecause()).isEqualTo("every request failed for 3 s (connection refused)");
        assertThat(r.requests()).as("a failed connect is an error, not a request").isZero();
        // Without back-off, 4 connections retrying for 3 s make thousands of attempts; with it (10 ms doubling to 1 s), a few dozen.
        assertThat(r.errorsByKind().get(ErrorKind.CONNECT)).isBetween(4L, 60L);
    }

    @Test
    void answersStillInFlightWhenTheWindowEndsAreNeitherSuccessesNorRequests() throws Exception {
        try (TestTarget target = new TestTarget()) {
            target.delayNanos = Duration.ofMillis(1500).toNanos();
            LoadResult r = new LoadGenerator(target.uri(), LoadProfile.closed(2, Duration.ofSeconds(1))).run(t -> { }, () -> false);
            assertThat(r.successes()).isZero();
            assertThat(r.requests()).isZero();
            assertThat(r.errors()).isZero();
            assertThat(r.requestsPerSecond()).isZero();
        }
    }

    @Test
    void theOpenLoopCountsSendsThatWereDueButNeverMade() throws Exception {
        try (TestTarget target = new TestTarget()) {
            target.delayNanos = Duration.ofMillis(900).toNanos();
            // 50/s on 2 connections: each is due every 40 ms, but each answer takes 900 ms.
            LoadResult r = new LoadGenerator(target.uri(), LoadProfile.open(50, 2, Duration.ofSeconds(3))).run(t -> { }, () -> false);
            assertThat(r.missed()).isGreaterThan(50);
            assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("sends missed"));
        }
    }

    @Test
    void theSeedIsRecordedAndARunCanBeRepeated() throws Exception {
        try (TestTarget target = new TestTarget()) {
            LoadResult r = new LoadGenerator(target.uri(), LoadProfile.requests(2, 50), 1234L).run(t -> { }, () -> false);
            assertThat(r.seed()).isEqualTo(1234L);
            assertThat(new LoadGenerator(target.uri(), LoadProfile.requests(2, 50)).run(t -> { }, () -> false).seed()).isNotZero();
        }
    }
}
