package org.gallerybench.dashboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.gallerybench.engine.setup.AppPaths;
import org.gallerybench.engine.setup.EnvironmentSettings;
import org.gallerybench.engine.setup.SettingsStore;
import org.gallerybench.engine.report.Charts;
import org.gallerybench.environments.Environment;
import org.gallerybench.environments.EnvironmentStatus.Action;
import org.gallerybench.environments.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's view-models without a window: properties change on the calling thread (Threads.direct()), against
 * the real local server and the real Docker engine.
 */
class DashboardViewModelTest {
    @TempDir
    Path home;
    AppPaths paths;
    DashboardViewModel vm;
    int localPort;

    @BeforeEach
    void create() throws Exception {
        paths = new AppPaths(TestServer.projectRoot(), home, home.resolve("config"));
        localPort = freePort();
        new SettingsStore(paths.settingsFile()).save(new SettingsStore.Saved(EnvironmentSettings.defaults().withLocalPort(localPort)
                .withDockerPort(5096), "custom", List.of("local"), 1200, 600));
        vm = new DashboardViewModel(paths, Threads.direct());
    }

    @AfterEach
    void close() {
        vm.close();
    }

    @Test
    void oneClickRunsThePlanAndFillsTheChartsTheTableAndTheHistory() throws Exception {
        RunViewModel run = vm.run();
        shortRun(run);
        assertThat(run.profileProperty().get()).isEqualTo(RunViewModel.Profile.CUSTOM);
        vm.card("local").includedProperty().set(true);

        run.runComparison();
        assertThat(run.runningProperty().get()).isTrue();
        await(() -> !run.runningProperty().get(), Duration.ofMinutes(3));

        assertThat(run.resultProperty().get()).isNotNull();
        assertThat(run.tableHeaders()).containsExactly("Local process");
        assertThat(run.tableRows()).extracting(r -> r.metric()).contains("Startup (median)", "Requests/s", "Latency p99");
        assertThat(run.progressProperty().get()).isEqualTo(1.0);
        ChartFeed.Changes changes = run.feed().drain();
        assertThat(changes.touched()).extracting(ChartFeed.Key::chart).contains(Charts.Kind.CPU, Charts.Kind.MEMORY, Charts.Kind.LATENCY,
                Charts.Kind.THROUGHPUT);
        assertLinesNeverRunBackwards(run.feed(), "live, over the run's rounds");
        await(() -> !vm.history().runs().isEmpty(), Duration.ofSeconds(10));
        assertThat(vm.history().runs().getFirst().id()).isEqualTo(run.resultProperty().get().id());
        assertThat(vm.notifications().banners()).extracting(Banner::title).containsExactly("Comparison finished");
        // The toolbar's estimate for the next run is learned from this one (the history's only run).
        run.refreshEstimate();
        await(() -> run.estimateProperty().get().endsWith("from 1 earlier run here."), Duration.ofSeconds(10));
        assertThat(run.estimateProperty().get()).startsWith("Estimated time: about ");
        assertThat(run.estimateShortProperty().get()).startsWith("≈ ");

        // The same run again from the history, into the charts and the table.
        run.feed().drain();
        vm.history().openRun(run.resultProperty().get().id());
        await(() -> run.phaseProperty().get().startsWith("Showing run"), Duration.ofSeconds(10));
        assertThat(run.feed().drain().reset()).isTrue();
        assertLinesNeverRunBackwards(run.feed(), "the run opened from the history");
    }

    /** Within every drawn series, x never decreases (a later round's point is never drawn at an earlier time). */
    static void assertLinesNeverRunBackwards(ChartFeed feed, String when) {
        int series = 0;
        for (Charts.Kind kind : Charts.Kind.values()) {
            for (var line : feed.series(kind).entrySet()) {
                List<double[]> points = line.getValue().points();
                for (int i = 1; i < points.size(); i++) {
                    assertThat(points.get(i)[0]).as("%s: %s, point %d of %d", when, line.getKey(), i, points.size())
                            .isGreaterThanOrEqualTo(points.get(i - 1)[0]);
                }
                series++;
            }
        }
        assertThat(series).as("%s: series drawn", when).isGreaterThanOrEqualTo(4);
    }

    /**
     * The app under test is the toolbar's choice: the cards make their environments for it, the run measures it (its
     * requests, its build), the window's title and every chart's name it, the choice is kept for the next start, and a
     * folder without a good manifest is one banner that leaves the choice as it was.
     */
    @Test
    void theAppUnderTestIsAChoiceThatTheCardsTheRunTheTitlesAndTheNextStartFollow() throws Exception {
        assertThat(vm.subjects()).extracting(s -> s.name()).startsWith("gallery").contains("flask-gallery");
        assertThat(vm.subjectProperty().get().name()).isEqualTo("gallery");
        assertThat(vm.titleProperty().get()).isEqualTo("Gallery Bench · gallery · container vs VM");

        var flask = vm.subjects().stream().filter(s -> s.name().equals("flask-gallery")).findFirst().orElseThrow();
        vm.chooseSubject(flask);
        assertThat(vm.titleProperty().get()).isEqualTo("Gallery Bench · flask-gallery · container vs VM");
        await(() -> !vm.card("local").busyProperty().get(), Duration.ofSeconds(30));
        assertThat(environmentOf(vm.card("local"))).isInstanceOf(org.gallerybench.environments.subject.SubjectProcessEnvironment.class);

        RunViewModel run = vm.run();
        shortRun(run);
        run.customSecondsProperty().set(2);
        run.customWarmupProperty().set(0);
        run.customTrialsProperty().set(0);
        vm.card("local").includedProperty().set(true);
        assertThat(run.plan().subject()).isEqualTo("flask-gallery");
        run.runComparison();
        await(() -> !run.runningProperty().get(), Duration.ofMinutes(3));
        var result = run.resultProperty().get();
        assertThat(result.environments().getFirst().failure()).isNull();
        assertThat(result.app()).isEqualTo("flask-gallery");
        assertThat(result.build()).isEqualTo(flask.digest());
        assertThat(result.environments().getFirst().load().latencyByKind()).containsKeys(
                org.gallerybench.engine.load.RequestKind.PAGE, org.gallerybench.engine.load.RequestKind.IMAGE,
                org.gallerybench.engine.load.RequestKind.UPLOAD);
        assertThat(Charts.chart(Charts.Kind.THROUGHPUT, result).getTitle().getText()).isEqualTo("Throughput · flask-gallery");

        Path notAnApp = java.nio.file.Files.createDirectories(home.resolve("not-an-app"));
        vm.chooseSubjectFolder(notAnApp); // read on the io executor, never the JavaFX thread
        // The last run's banner may still be arriving from its own thread: wait for this one, then read a snapshot.
        await(() -> List.copyOf(vm.notifications().banners()).stream().anyMatch(b -> b.title().equals("Cannot measure the app in " + notAnApp)),
                Duration.ofSeconds(30));
        assertThat(vm.subjectProperty().get().name()).isEqualTo("flask-gallery");

        vm.saveSettings();
        try (DashboardViewModel again = new DashboardViewModel(paths, Threads.direct())) {
            assertThat(again.subjectProperty().get().name()).as("the choice is kept").isEqualTo("flask-gallery");
            assertThat(again.titleProperty().get()).contains("flask-gallery");
        }
    }

    /** The custom profile's "rounds until stable" is the CLI's --rounds auto: the same plan. */
    @Test
    void theCustomProfileCanRunRoundsUntilStable() {
        RunViewModel run = vm.run();
        run.profileProperty().set(RunViewModel.Profile.CUSTOM);
        vm.card("local").includedProperty().set(true);
        assertThat(run.plan().auto()).isNull();
        run.customUntilStableProperty().set(true);
        assertThat(run.plan().auto()).isEqualTo(org.gallerybench.engine.run.RoundsAuto.defaults());
        assertThat(run.plan().describeRounds()).isEqualTo("rounds auto (±5 %, 5 to 10 rounds)");
    }

    @Test
    void aLateSampleIsNotDrawnBeforeTheLastPoint() {
        BoundedSeries line = new BoundedSeries(16);
        for (int x = 0; x <= 5; x++) {
            line.add(x, x * 10);
        }
        line.add(4.7, 99); // a sample of a round that has ended, arriving after the next round's first
        line.add(6, 60);
        assertThat(line.points()).extracting(p -> p[0]).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
    }

    /**
     * One environment fails in a run (its engine cannot be reached): its card says why, in words, and keeps saying it
     * after the run; the other card is fine; the run ends with exactly one banner, which names it.
     */
    @Test
    void aFailingEnvironmentShowsOnItsOwnCardAndTheRunEndsWithOneBanner() throws Exception {
        int closed = freePort();
        EnvironmentCardViewModel docker = vm.card("docker");
        field(docker, "docker-host").set("tcp://127.0.0.1:" + closed);
        assertThat(docker.applySettings()).isTrue();
        await(() -> docker.lightProperty().get() == EnvironmentCardViewModel.Light.FAILED, Duration.ofSeconds(30));
        vm.card("local").includedProperty().set(true);
        docker.includedProperty().set(true);
        shortRun(vm.run());
        vm.notifications().banners().clear();

        vm.run().runComparison();
        await(() -> !vm.run().runningProperty().get(), Duration.ofMinutes(3));

        assertThat(vm.notifications().banners()).as("one event, one banner").hasSize(1);
        Banner banner = vm.notifications().banners().getFirst();
        assertThat(banner.title()).isEqualTo("Comparison finished; Docker container was not fully measured");
        assertThat(banner.detail()).contains("Its card says why");
        await(() -> docker.messageProperty().get().startsWith("Not measured in the last run: "), Duration.ofSeconds(30));
        assertThat(docker.lightProperty().get()).isEqualTo(EnvironmentCardViewModel.Light.FAILED);
        assertThat(docker.messageProperty().get()).contains("Docker engine not reachable at tcp://127.0.0.1:" + closed)
                .doesNotContain("Exception").doesNotContain("at org.");
        EnvironmentCardViewModel local = vm.card("local");
        await(() -> local.lightProperty().get() != EnvironmentCardViewModel.Light.BUSY, Duration.ofSeconds(30));
        assertThat(local.lightProperty().get()).isNotEqualTo(EnvironmentCardViewModel.Light.FAILED);
        assertThat(local.messageProperty().get()).doesNotContain("Not measured");
        assertThat(vm.run().resultProperty().get().environment("local").orElseThrow().measured()).isTrue();
    }

    @Test
    void withNothingTickedTheRunSaysWhatToDo() {
        vm.cards().forEach(c -> c.includedProperty().set(false));
        vm.run().runComparison();
        assertThat(vm.run().runningProperty().get()).isFalse();
        assertThat(vm.notifications().banners()).singleElement().satisfies(b -> assertThat(b.detail()).contains("Tick at least one environment"));
    }

    /** Each card owns its settings: a bad one is refused with every problem said; a good one is kept, and resets that card alone. */
    @Test
    void aCardValidatesAndAppliesItsOwnSettings() throws Exception {
        EnvironmentCardViewModel docker = vm.card("docker");
        EnvironmentCardViewModel local = vm.card("local");
        EnvironmentSettings before = vm.environmentSettings();
        field(docker, "docker-port").set("70000");
        field(docker, "docker-host").set("10.1.2.3:2375");
        assertThat(docker.applySettings()).isFalse();
        assertThat(vm.environmentSettings()).isEqualTo(before);
        assertThat(vm.notifications().banners()).singleElement().satisfies(b -> {
            assertThat(b.title()).isEqualTo("Docker container: settings not applied");
            assertThat(b.detail()).contains("between 1 and 65535 (got 70000)").contains("tcp://HOST:2375").contains("unchanged");
        });
        field(local, "local-port").set("fifty");
        assertThat(local.applySettings()).isFalse();
        assertThat(vm.notifications().banners().getFirst().detail()).contains("a whole number").contains("'fifty'");

        field(local, "local-port").set(Integer.toString(localPort));
        Environment localEnvironment = environmentOf(local);
        field(docker, "docker-port").set("5096");
        field(docker, "docker-host").set("tcp://10.1.2.3:2375");
        assertThat(docker.applySettings()).isTrue();
        await(() -> new SettingsStore(paths.settingsFile()).load().environments().docker().engine().equals("tcp://10.1.2.3:2375"), Duration.ofSeconds(5));
        assertThat(environmentOf(local)).as("another card's change leaves this one as it is").isSameAs(localEnvironment);
        try (DashboardViewModel again = new DashboardViewModel(paths, Threads.direct())) {
            assertThat(again.environmentSettings().docker().engine()).isEqualTo("tcp://10.1.2.3:2375");
            assertThat(field(again.card("docker"), "docker-host").get()).isEqualTo("tcp://10.1.2.3:2375");
        }
    }

    @Test
    void anUnreachableDockerEngineShowsItsFixOnTheCard() throws Exception {
        int closed = freePort();
        EnvironmentCardViewModel docker = vm.card("docker");
        field(docker, "docker-host").set("tcp://127.0.0.1:" + closed);
        docker.applySettings();
        await(() -> docker.lightProperty().get() == EnvironmentCardViewModel.Light.FAILED, Duration.ofSeconds(30));
        assertThat(docker.statusTextProperty().get()).isEqualTo("failed");
        assertThat(docker.messageProperty().get()).startsWith("Docker engine not reachable at tcp://127.0.0.1:" + closed)
                .contains("set DOCKER_HOST");
    }

    /**
     * A newcomer's first start (no settings yet): every environment that can run here is ticked (the gVisor sandbox is
     * chosen on purpose); one that cannot (a Docker engine that does not answer) starts unticked and its card says why
     * and what to do.
     */
    @Test
    void onAFirstStartEveryEnvironmentThatCanRunHereIsTicked() throws Exception {
        Path fresh = home.resolve("fresh");
        AppPaths freshPaths = new AppPaths(TestServer.projectRoot(), fresh, fresh.resolve("config"));
        try (DashboardViewModel first = new DashboardViewModel(freshPaths, Threads.direct())) {
            first.start().get(2, TimeUnit.MINUTES);
            assertThat(first.card("local").includedProperty().get()).isTrue();
            for (EnvironmentCardViewModel card : first.cards()) {
                boolean failed = card.lightProperty().get() == EnvironmentCardViewModel.Light.FAILED;
                boolean byDefault = org.gallerybench.engine.setup.EnvironmentCatalog.DEFAULT_SELECTION.contains(card.id());
                assertThat(card.includedProperty().get()).as(card.id() + ": " + card.messageProperty().get()).isEqualTo(byDefault && !failed);
            }
            assertThat(first.card("docker").includedProperty().get()).as("the real engine runs here").isTrue();
            // The gVisor sandbox has its card, ready to be chosen (runsc is registered here), but is not ticked by default.
            assertThat(first.cards()).extracting(EnvironmentCardViewModel::id).containsExactly("local", "docker", "gvisor", "vm");
            assertThat(first.card("gvisor").lightProperty().get()).isNotEqualTo(EnvironmentCardViewModel.Light.FAILED);
            assertThat(first.card("gvisor").includedProperty().get()).isFalse();
        }
        int closed = freePort();
        new SettingsStore(freshPaths.settingsFile()).save(new SettingsStore.Saved(EnvironmentSettings.defaults().withDockerHost("tcp://127.0.0.1:" + closed),
                "quick", null, 1200, 600));
        try (DashboardViewModel noEngine = new DashboardViewModel(freshPaths, Threads.direct())) {
            noEngine.start().get(2, TimeUnit.MINUTES);
            EnvironmentCardViewModel docker = noEngine.card("docker");
            assertThat(docker.includedProperty().get()).isFalse();
            assertThat(docker.messageProperty().get()).startsWith("Docker engine not reachable").contains("set DOCKER_HOST");
            assertThat(noEngine.card("local").includedProperty().get()).isTrue();
        }
    }

    /**
     * A dashboard opened on a machine that other processes used: the engine made this build's image (as a CLI run does)
     * and the docker CLI left a container of another build running under the card's name. Every card says what is
     * there, and offers only what makes sense: Deploy replaces the other build; the container killed by the docker CLI
     * is "stopped (exit 137: killed)" with Start alone; the gVisor card finds the same image ready to start; the local
     * card finds the jar without its AOT cache.
     */
    @Test
    void aFreshDashboardSaysWhatOtherProcessesLeftAndOffersOnlyWhatMakesSense() throws Exception {
        EnvironmentSettings settings = new SettingsStore(paths.settingsFile()).load().environments();
        String thisBuild = "gallerybench/gallery:" + TestServer.artifact().shortDigest();
        String another = "gallerybench-test/another-build:2";
        String name;
        try (Environment engine = new org.gallerybench.engine.setup.EnvironmentCatalog(paths, settings).create("docker")) {
            name = ((org.gallerybench.environments.docker.DockerEnvironment) engine).settings().containerName();
            engine.deploy(TestServer.artifact()); // the image of this build, made by an engine object of its own
        }
        try {
            org.gallerybench.environments.Child.ok(org.gallerybench.environments.Command.of("docker", "build", "-q", "-t", another, "-")
                    .input("FROM " + thisBuild + "\nLABEL org.gallerybench.build=another\n").deadline(Duration.ofMinutes(2)), "docker build");
            docker("run", "-d", "--name", name, "--label", "org.gallerybench.managed=true", "-p", "127.0.0.1:5096:8080", another);
            try (DashboardViewModel fresh = new DashboardViewModel(paths, Threads.direct())) {
                fresh.start().get(2, TimeUnit.MINUTES);
                EnvironmentCardViewModel card = fresh.card("docker");
                CardState other = card.stateProperty().get();
                assertThat(other.status()).isEqualTo("running another build");
                assertThat(other.message()).isEqualTo("Container " + name + " runs " + another + ", not this build (" + thisBuild
                        + "): deploy to replace it.");
                assertThat(other.actions()).containsExactlyInAnyOrder(Action.DEPLOY, Action.STOP);

                CardState gvisor = fresh.card("gvisor").stateProperty().get();
                assertThat(gvisor.status()).isEqualTo("ready to start");
                assertThat(gvisor.message()).isEqualTo("Image of this build present (" + thisBuild + "); no container yet: Start makes one.");
                assertThat(gvisor.actions()).containsExactly(Action.START);

                // The local card: the jar, and this build's AOT cache if a test before this one trained it (the cache is shared).
                CardState local = fresh.card("local").stateProperty().get();
                String shortBuild = TestServer.artifact().shortDigest();
                if (local.status().equals("absent")) {
                    assertThat(local.message()).isEqualTo("Jar of build " + shortBuild + " built; its AOT cache is not trained yet: deploy trains it"
                            + " (Start does first).");
                    assertThat(local.actions()).containsExactlyInAnyOrder(Action.DEPLOY, Action.START);
                } else {
                    assertThat(local.status()).isEqualTo("ready to start");
                    assertThat(local.message()).isEqualTo("Jar and AOT cache of this build present (build " + shortBuild + "): Start runs it.");
                    assertThat(local.actions()).containsExactly(Action.START);
                }

                card.deploy();
                await(() -> !card.busyProperty().get() && card.lightProperty().get() == EnvironmentCardViewModel.Light.READY, Duration.ofMinutes(2));
                assertThat(docker("inspect", "-f", "{{.Config.Image}}", name)).as("deploy replaced the other build").isEqualTo(thisBuild);
                assertThat(card.stateProperty().get().actions()).containsExactlyInAnyOrder(Action.STOP, Action.RESTART);

                docker("kill", name);
                CardState killed = card.refresh().get(1, TimeUnit.MINUTES);
                assertThat(killed.status()).isEqualTo("stopped (exit 137: killed)");
                assertThat(killed.message()).isEqualTo("Container " + name + " of this build was killed (" + thisBuild + "): Start starts it again.");
                assertThat(killed.actions()).containsExactly(Action.START);
                card.start();
                await(() -> !card.busyProperty().get() && card.lightProperty().get() == EnvironmentCardViewModel.Light.READY, Duration.ofMinutes(2));
                card.stop();
                await(() -> !card.busyProperty().get(), Duration.ofMinutes(1));
            }
        } finally {
            org.gallerybench.environments.Child.quick("docker", "rm", "-f", name);
            org.gallerybench.environments.Child.quick("docker", "volume", "rm", "-f", name + "-uploads");
            org.gallerybench.environments.Child.quick("docker", "rmi", another);
        }
    }

    /** A docker CLI command, as another process on the machine runs it, failing the test unless it exits 0; its output, trimmed. */
    private static String docker(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return org.gallerybench.environments.Child.ok(org.gallerybench.environments.Command.of(command).deadline(Duration.ofMinutes(2)),
                "docker " + args[0]).strip();
    }

    @Test
    void theVmCardSaysWhenItsFiguresWouldComeFromEmulation() {
        boolean emulated = !org.gallerybench.engine.run.Fingerprint.kvmUsable();
        assertThat(vm.emulated("vm")).isEqualTo(emulated);
        assertThat(vm.card("vm").caveatProperty().get())
                .isEqualTo(emulated ? "Figures are emulated (no KVM): not the speed of a hardware-virtualized VM." : "");
        assertThat(vm.card("docker").caveatProperty().get()).isEmpty();
        // A VM reached over SSH may run anywhere: this machine's KVM says nothing about it.
        EnvironmentCardViewModel card = vm.card("vm");
        field(card, "ssh-host").set("10.9.8.7");
        field(card, "ssh-user").set("bench");
        field(card, "ssh-key").set("/tmp/key");
        assertThat(card.applySettings()).isTrue();
        assertThat(vm.emulated("vm")).isFalse();
        assertThat(card.caveatProperty().get()).isEmpty();
    }

    @Test
    void aBannerReplacesOneOfItsTopicAndTheNewestFourStay() {
        Notifications n = new Notifications(Runnable::run);
        n.post(new Banner(Banner.Level.SUCCESS, "Comparison finished", "run A").about(Banner.RUN));
        n.post(new Banner(Banner.Level.WARNING, "Comparison finished; Docker container was not fully measured", "run B").about(Banner.RUN));
        assertThat(n.banners()).extracting(Banner::detail).containsExactly("run B");
        for (int i = 1; i <= 5; i++) {
            n.post(new Banner(Banner.Level.INFO, "note " + i, ""));
        }
        assertThat(n.banners()).extracting(Banner::title).containsExactly("note 5", "note 4", "note 3", "note 2");
        n.post(new Banner(Banner.Level.ERROR, "note 3", "again"));
        assertThat(n.banners()).extracting(Banner::title).containsExactly("note 3", "note 5", "note 4", "note 2");
        n.withdraw("note 5");
        assertThat(n.banners()).extracting(Banner::title).containsExactly("note 3", "note 4", "note 2");
    }

    @Test
    void exportWithNothingShownSaysWhatToDo() {
        vm.export().exportCharts(java.util.EnumSet.allOf(Charts.Kind.class));
        assertThat(vm.notifications().banners()).singleElement().satisfies(b -> assertThat(b.title()).isEqualTo("Nothing to export yet"));
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

    private static void shortRun(RunViewModel run) {
        run.profileProperty().set(RunViewModel.Profile.CUSTOM);
        run.customSecondsProperty().set(3);
        run.customWarmupProperty().set(1);
        run.customTrialsProperty().set(1);
        run.customConcurrencyProperty().set(4);
    }

    static javafx.beans.property.StringProperty field(EnvironmentCardViewModel card, String key) {
        return card.form().fields().stream().filter(f -> f.key().equals(key)).findFirst().orElseThrow().text();
    }

    private static Environment environmentOf(EnvironmentCardViewModel card) throws Exception {
        return java.util.concurrent.CompletableFuture.supplyAsync(card::environment).get(1, TimeUnit.MINUTES);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
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
