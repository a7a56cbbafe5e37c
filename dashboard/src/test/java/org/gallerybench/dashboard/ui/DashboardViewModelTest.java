package org.gallerybench.dashboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.gallerybench.dashboard.bench.AppPaths;
import org.gallerybench.dashboard.bench.EnvironmentSettings;
import org.gallerybench.dashboard.bench.SettingsStore;
import org.gallerybench.dashboard.report.Charts;
import org.gallerybench.environments.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's logic without a window: properties change on the calling thread (Threads.direct()). */
class DashboardViewModelTest {
    @TempDir
    Path home;
    AppPaths paths;
    DashboardViewModel vm;

    @BeforeEach
    void create() throws Exception {
        paths = new AppPaths(TestServer.projectRoot(), home, home.resolve("config"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        new SettingsStore(paths.settingsFile()).save(new SettingsStore.Saved(EnvironmentSettings.defaults().withLocalPort(port), "custom",
                java.util.List.of("local"), 1200, 600));
        vm = new DashboardViewModel(paths, Threads.direct());
    }

    @AfterEach
    void close() {
        vm.close();
    }

    @Test
    void oneClickRunsThePlanAndFillsTheChartsTheTableAndTheHistory() throws Exception {
        vm.customSecondsProperty().set(3);
        vm.customWarmupProperty().set(1);
        vm.customTrialsProperty().set(1);
        vm.customConcurrencyProperty().set(4);
        assertThat(vm.profileProperty().get()).isEqualTo(DashboardViewModel.Profile.CUSTOM);

        vm.runComparison();
        assertThat(vm.runningProperty().get()).isTrue();
        await(() -> !vm.runningProperty().get(), Duration.ofMinutes(3));

        assertThat(vm.resultProperty().get()).isNotNull();
        assertThat(vm.tableHeaders()).containsExactly("Local process");
        assertThat(vm.tableRows()).extracting(r -> r.metric()).contains("Startup (median)", "Requests/s", "Latency p99");
        assertThat(vm.progressProperty().get()).isEqualTo(1.0);
        ChartFeed.Changes changes = vm.feed().drain();
        assertThat(changes.touched()).extracting(ChartFeed.Key::chart).contains(Charts.Kind.CPU, Charts.Kind.MEMORY, Charts.Kind.LATENCY,
                Charts.Kind.THROUGHPUT);
        await(() -> !vm.history().isEmpty(), Duration.ofSeconds(10));
        assertThat(vm.history().getFirst().id()).isEqualTo(vm.resultProperty().get().id());
    }

    @Test
    void withNothingTickedTheRunSaysWhatToDo() {
        vm.card("local").includedProperty().set(false);
        vm.runComparison();
        assertThat(vm.runningProperty().get()).isFalse();
        assertThat(vm.banners()).anySatisfy(b -> assertThat(b.detail()).contains("Tick at least one environment"));
    }

    @Test
    void badSettingsAreRefusedAndGoodOnesRemembered() throws Exception {
        EnvironmentSettings before = vm.environmentSettings();
        assertThat(vm.applySettings(before.withDockerPort(70000))).isFalse();
        assertThat(vm.environmentSettings()).isEqualTo(before);
        assertThat(vm.banners()).anySatisfy(b -> assertThat(b.detail()).contains("between 1 and 65535"));

        assertThat(vm.applySettings(before.withDockerHost("tcp://10.1.2.3:2375"))).isTrue();
        await(() -> new SettingsStore(paths.settingsFile()).load().environments().dockerHost().equals("tcp://10.1.2.3:2375"), Duration.ofSeconds(5));
        assertThat(new DashboardViewModel(paths, Threads.direct()).environmentSettings().dockerHost()).isEqualTo("tcp://10.1.2.3:2375");
    }

    @Test
    void theVmCardSaysWhenItsFiguresWouldComeFromEmulation() {
        boolean emulated = !org.gallerybench.dashboard.bench.Fingerprint.kvmUsable();
        assertThat(vm.emulated("vm")).isEqualTo(emulated);
        assertThat(vm.card("vm").caveatProperty().get())
                .isEqualTo(emulated ? "Figures are emulated (no KVM): not the speed of a hardware-virtualized VM." : "");
        assertThat(vm.card("docker").caveatProperty().get()).isEmpty();
        // A VM reached over SSH may run anywhere: this machine's KVM says nothing about it.
        assertThat(vm.applySettings(vm.environmentSettings().withVm("", "10.9.8.7", 22, "bench", "/tmp/key", 8080))).isTrue();
        assertThat(vm.emulated("vm")).isFalse();
        assertThat(vm.card("vm").caveatProperty().get()).isEmpty();
    }

    @Test
    void anUnreachableDockerEngineShowsItsFixOnTheCard() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        vm.applySettings(vm.environmentSettings().withDockerHost("tcp://127.0.0.1:" + closed));
        EnvironmentCardViewModel docker = vm.card("docker");
        await(() -> docker.lightProperty().get() == EnvironmentCardViewModel.Light.FAILED, Duration.ofSeconds(30));
        assertThat(docker.messageProperty().get()).startsWith("Docker engine not reachable at tcp://127.0.0.1:" + closed)
                .contains("set DOCKER_HOST");
    }

    @Test
    void theChartFeedStaysBoundedOverAnHourOfSamples() {
        ChartFeed feed = new ChartFeed(600);
        for (int second = 0; second < 3600; second++) {
            for (String env : new String[] {"local", "docker", "vm"}) {
                feed.add(new ChartFeed.Key(Charts.Kind.CPU, env, "cpu"), second, 50);
                feed.add(new ChartFeed.Key(Charts.Kind.LATENCY, env, "p99"), second, 10);
            }
            if (second % 10 == 0) {
                feed.drain();
            }
        }
        feed.drain();
        assertThat(feed.pointCount()).isLessThanOrEqualTo(6 * 600);
        BoundedSeries cpu = feed.series(Charts.Kind.CPU).get(new ChartFeed.Key(Charts.Kind.CPU, "local", "cpu"));
        assertThat(cpu.points().getFirst()[0]).as("the whole hour is still drawn").isLessThan(10);
        assertThat(cpu.points().getLast()[0]).isEqualTo(3599);
    }

    static void await(BooleanSupplier condition, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + within);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
