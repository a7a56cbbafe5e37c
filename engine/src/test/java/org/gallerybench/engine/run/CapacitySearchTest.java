package org.gallerybench.engine.run;

import org.gallerybench.engine.load.LoadGenerator;
import org.gallerybench.engine.load.LoadProfile;
import org.gallerybench.engine.load.LoadResult;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The capacity search, first against servers of known capacity over real HTTP, then its decisions step by step. */
@org.junit.jupiter.api.parallel.Isolated("timing-sensitive: its figures are checked against known servers, so nothing else may load the cores")
class CapacitySearchTest {

    /**
     * A server that serves at most K = workers / service time requests per second: each of its worker threads takes
     * a fixed time per request, and requests beyond them wait in its queue (so latency grows without bound past K).
     */
    static final class FixedCapacityServer implements AutoCloseable {
        final HttpServer server;
        final ExecutorService workers;

        FixedCapacityServer(int workerCount, int serviceMillis) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
            workers = Executors.newFixedThreadPool(workerCount);
            byte[] body = "<html><body>gallery</body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            server.createContext("/", exchange -> {
                try {
                    Thread.sleep(serviceMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.getResponseHeaders().add("Content-Type", "text/html");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.setExecutor(workers);
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        }

        @Override
        public void close() {
            server.stop(0);
            workers.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0} workers x {1} ms: K = {2}/s")
    @CsvSource({"4, 20, 200", "8, 20, 400"})
    void findsAKnownCapacityWithinTenPercent(int workers, int serviceMillis, int capacity) throws Exception {
        CapacityPlan plan = new CapacityPlan(new Objective(99, 100, 1, 1), 25, 100_000, Duration.ofSeconds(1), Duration.ofSeconds(3), 0.05, 64, 16);
        try (FixedCapacityServer server = new FixedCapacityServer(workers, serviceMillis)) {
            CapacityResult result = new CapacitySearch(plan).run((index, phase, rate) -> {
                LoadProfile profile = LoadProfile.open(rate, plan.connections(), plan.window()).withWarmup(plan.warmup());
                LoadResult load = new LoadGenerator(server.uri(), profile, 42).run(t -> { }, () -> false, () -> { });
                CapacityStep step = CapacityStep.of(index, phase, rate, plan.objective(), load, List.of());
                System.out.printf(java.util.Locale.ROOT, "K=%d step %d %s %.0f/s: achieved %.0f, p99 %.1f ms, missed %d -> %s%n", capacity,
                        index, phase, rate, step.achievedRate(), step.p99Millis(), step.missed(), step.verdict());
                return step;
            });
            assertThat(result.found()).as(result.note()).isTrue();
            assertThat(result.generatorLimited()).isFalse();
            assertThat(result.capacityRate()).as("capacity of a server that serves at most %d/s", capacity)
                    .isBetween(0.9 * capacity, 1.1 * capacity);
            assertThat(result.achievedRate()).isBetween(0.85 * capacity, 1.1 * capacity);
            assertThat(result.steps()).extracting(CapacityStep::phase).contains("up", "bisect");
            assertThat(result.steps().stream().filter(s -> !s.passed())).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.targetRate()).isGreaterThan(result.capacityRate()));
            assertThat(result.note()).contains("within 5 %");
        }
    }

    private static CapacityStep step(int index, String phase, double rate, boolean valid, boolean passed) {
        return new CapacityStep(index, phase, rate, passed ? rate : rate * 0.8, 1, 2, passed ? 10 : 500, 600, 1000, 0, 0, Double.NaN,
                Double.NaN, Double.NaN, valid, passed, passed ? "within" : valid ? "p99 500 ms > 50 ms" : "the generator was the limit");
    }

    @Test
    void doublesThenBisectsToWithinThePrecision() {
        List<Double> asked = new ArrayList<>();
        CapacityResult r = new CapacitySearch(CapacityPlan.of(Objective.defaults(), Duration.ofSeconds(1))).run((i, phase, rate) -> {
            asked.add(rate);
            return step(i, phase, rate, true, rate <= 1000);
        });
        assertThat(asked.subList(0, 6)).containsExactly(50.0, 100.0, 200.0, 400.0, 800.0, 1600.0);
        assertThat(r.capacityRate()).isBetween(950.0, 1000.0);
        assertThat(r.steps().getLast().phase()).isEqualTo("bisect");
        assertThat(r.note()).contains("within 5 %");
    }

    @Test
    void aStartThatAlreadyFailsIsHalvedUntilAStepHolds() {
        CapacityResult r = new CapacitySearch(CapacityPlan.of(Objective.defaults(), Duration.ofSeconds(1))).run((i, phase, rate) ->
                step(i, phase, rate, true, rate <= 10));
        assertThat(r.steps()).extracting(CapacityStep::phase).startsWith("up", "down");
        assertThat(r.capacityRate()).isBetween(9.5, 10.0);
        CapacityResult none = new CapacitySearch(CapacityPlan.of(Objective.defaults(), Duration.ofSeconds(1))).run((i, phase, rate) ->
                step(i, phase, rate, true, false));
        assertThat(none.found()).isFalse();
        assertThat(none.note()).startsWith("The objective failed even at");
    }

    @Test
    void aStepTheGeneratorCouldNotSendStopsTheSearchAndSaysTheCapacityIsALowerBound() {
        CapacityResult r = new CapacitySearch(CapacityPlan.of(Objective.defaults(), Duration.ofSeconds(1))).run((i, phase, rate) ->
                step(i, phase, rate, rate < 400, rate < 400));
        assertThat(r.generatorLimited()).isTrue();
        assertThat(r.capacityRate()).isEqualTo(200.0);
        assertThat(r.steps()).hasSize(4);
        assertThat(r.note()).contains("at least").contains("generator was the limit");
    }

    @Test
    void objectivesParseAndBadOnesSayHowToWriteThem() {
        assertThat(Objective.parse("p99<50ms", "1%")).isEqualTo(new Objective(99, 50, 1, 1));
        assertThat(Objective.parse("p99.9 < 0.2s", "0.5%")).isEqualTo(new Objective(99.9, 200, 0.5, 1));
        assertThat(Objective.parse("p99<50ms", "1%").describe()).isEqualTo("p99 < 50 ms");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Objective.parse("latency<50", "1%"))
                .hasMessage("bad objective 'latency<50': write it like p99<50ms (p50, p90, p99 or p99.9, in ms or s)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Objective.parse("p99<50ms", "lots"))
                .hasMessage("bad error limit 'lots': write it like 1%");
    }
}
