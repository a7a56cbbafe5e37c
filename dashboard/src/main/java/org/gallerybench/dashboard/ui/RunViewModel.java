package org.gallerybench.dashboard.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.gallerybench.engine.run.ComparisonRun;
import org.gallerybench.engine.setup.EnvironmentCatalog;
import org.gallerybench.engine.run.EnvironmentResult;
import org.gallerybench.engine.run.EventBus;
import org.gallerybench.engine.load.LoadProfile;
import org.gallerybench.engine.load.LoadTick;
import org.gallerybench.engine.load.RequestMix;
import org.gallerybench.engine.run.RunEvent;
import org.gallerybench.engine.run.RunPlan;
import org.gallerybench.engine.run.RunResult;
import org.gallerybench.engine.run.UserMessages;
import org.gallerybench.engine.history.RunHistory;
import org.gallerybench.engine.report.Charts;
import org.gallerybench.engine.report.ComparisonTable;
import org.gallerybench.environments.Environment;
import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.ServerArtifact;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.gallerybench.engine.report.CapacityChart;
import org.gallerybench.engine.report.OverheadTable;
import org.gallerybench.engine.run.CapacityPlan;
import org.gallerybench.engine.run.Objective;
import org.gallerybench.engine.run.RoundsAuto;
import org.gallerybench.engine.run.TimeEstimate;
import org.gallerybench.environments.subject.Subject;
import org.jfree.chart.JFreeChart;

/**
 * The run: the toolbar's profile and one-click run and stop, the live chart feed, and the comparison tab's table.
 * It drives the cards of the environments in the run and saves each finished run in the history.
 */
public final class RunViewModel {
    /** Run profiles: quick, standard, custom figures, or a capacity search at p99 < 50 ms; how long each takes here is estimated. */
    public enum Profile { QUICK, STANDARD, CUSTOM, CAPACITY }

    private static final int SERIES_CAPACITY = 600;

    private final Threads threads;
    private final Notifications notifications;
    private final DashboardServices services;
    private final List<EnvironmentCardViewModel> cards;
    private final Runnable saveSettings;
    private final Runnable historyChanged;
    private final ChartFeed feed = new ChartFeed(SERIES_CAPACITY);
    private volatile ComparisonRun currentRun;
    private volatile RunPlan currentPlan;
    private volatile long runStartNanos;
    /** The time estimate of the plan the toolbar shows; during a run, the run's own. */
    private final StringProperty estimate = new SimpleStringProperty("");
    private final StringProperty estimateShort = new SimpleStringProperty("");
    private volatile TimeEstimate runEstimate;

    private final ObjectProperty<Profile> profile = new SimpleObjectProperty<>(Profile.QUICK);
    private final IntegerProperty customSeconds = new SimpleIntegerProperty(20);
    private final IntegerProperty customConcurrency = new SimpleIntegerProperty(32);
    private final IntegerProperty customRate = new SimpleIntegerProperty(0);
    private final IntegerProperty customTrials = new SimpleIntegerProperty(3);
    private final IntegerProperty customWarmup = new SimpleIntegerProperty(5);
    private final StringProperty customMix = new SimpleStringProperty("page=70,image=25,upload=5");
    /** The custom profile's rounds until stable (±5 %, 5 to 10 rounds), instead of 3 fixed rounds. */
    private final BooleanProperty customUntilStable = new SimpleBooleanProperty(false);
    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty phase = new SimpleStringProperty("Ready. Choose environments, then Run comparison (Ctrl+R).");
    private final ObjectProperty<RunResult> result = new SimpleObjectProperty<>();
    private final ObservableList<String> tableHeaders = FXCollections.observableArrayList();
    private final ObservableList<ComparisonTable.Row> tableRows = FXCollections.observableArrayList();
    private final ObservableList<OverheadTable.Column> overheadColumns = FXCollections.observableArrayList();
    private final ObservableList<OverheadTable.Row> overheadRows = FXCollections.observableArrayList();
    private final StringProperty overheadNote = new SimpleStringProperty("");
    private final StringProperty machine = new SimpleStringProperty("");
    /** The latency-against-throughput chart of a capacity search, live while it runs; null for a comparison. */
    private final ObjectProperty<JFreeChart> capacityChart = new SimpleObjectProperty<>();
    private volatile CapacityChart.Live capacityLive;

    /** Each environment's one name, from its settings in force. */
    private final UnaryOperator<String> names;
    /** The app under test chosen (null: the gallery). */
    private final Supplier<Subject> app;

    RunViewModel(Threads threads, Notifications notifications, DashboardServices services, List<EnvironmentCardViewModel> cards,
                 Runnable saveSettings, Runnable historyChanged, UnaryOperator<String> names,
                 Supplier<Subject> app) {
        this.names = names;
        this.app = app;
        this.threads = threads;
        this.notifications = notifications;
        this.services = services;
        this.cards = cards;
        this.saveSettings = saveSettings;
        this.historyChanged = historyChanged;
    }

    /** The plan the profile describes, for the environments ticked on the cards and the app under test chosen. */
    public RunPlan plan() {
        var subject = app.get();
        RunPlan plan = profilePlan();
        return subject == null ? plan : plan.withSubject(subject.name());
    }

    private RunPlan profilePlan() {
        List<String> ids = cards.stream().filter(c -> c.includedProperty().get()).map(EnvironmentCardViewModel::id).toList();
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("Tick at least one environment on its card to include it in the comparison.");
        }
        return switch (profile.get()) {
            case QUICK -> RunPlan.quick(ids);
            case STANDARD -> RunPlan.standard(ids);
            // Steps of 1 s warm-up and 5 s measured: a few minutes an environment.
            case CAPACITY -> RunPlan.capacity(ids, CapacityPlan.of(
                    Objective.defaults(), Duration.ofSeconds(5)).withWarmup(Duration.ofSeconds(1)));
            case CUSTOM -> {
                Duration d = Duration.ofSeconds(Math.max(1, customSeconds.get()));
                LoadProfile load = customRate.get() > 0
                        ? LoadProfile.open(customRate.get(), Math.max(1, customConcurrency.get()), d)
                        : LoadProfile.closed(Math.max(1, customConcurrency.get()), d);
                load = load.withWarmup(Duration.ofSeconds(Math.max(0, customWarmup.get()))).withMix(RequestMix.parse(customMix.get()))
                        .withUploadBytes(32 * 1024);
                RunPlan custom = RunPlan.of(ids, load).withStartupTrials(Math.max(0, customTrials.get()), false, Math.max(0, customTrials.get()))
                        .withSampling(Duration.ofSeconds(1), Duration.ofSeconds(1)).withLabel("custom");
                yield customUntilStable.get() ? custom.withRoundsAuto(RoundsAuto.defaults()) : custom;
            }
        };
    }

    /** One click: runs the whole plan in the background and feeds the charts, the table and the history. */
    public void runComparison() {
        if (running.get()) {
            return;
        }
        RunPlan plan;
        try {
            plan = plan();
        } catch (RuntimeException e) {
            notifications.post(Banner.error("Cannot start the comparison", e).about(Banner.RUN));
            return;
        }
        currentPlan = plan;
        notifications.withdraw(Banner.RUN); // the last run's outcome: this run will have its own
        feed.reset();
        feed.expect(plan.environments());
        running.set(true);
        progress.set(0);
        phase.set("Starting " + String.join(", ", plan.environments()) + " · "
                + (plan.isCapacitySearch() ? "capacity search, " + plan.capacity().objective().describe() : plan.load().describe()));
        if (plan.isCapacitySearch()) {
            var live = new CapacityChart.Live(plan.capacity().objective(), plan.subject());
            plan.environments().forEach(id -> live.environment(id, names.apply(id)));
            capacityLive = live;
            capacityChart.set(live.chart());
        } else {
            capacityLive = null;
            capacityChart.set(null);
        }
        runStartNanos = System.nanoTime();
        runEstimate = null;
        threads.io().submit(() -> {
            try (RunHistory h = services.history().get()) {
                runEstimate = h.estimate(plan);
            } catch (RuntimeException e) {
                runEstimate = null; // no estimate: the phase line goes without its countdown
            }
        });
        threads.io().submit(() -> {
            Map<String, Environment> environments = new LinkedHashMap<>();
            Map<String, String> failures = new ConcurrentHashMap<>();
            try (EventBus bus = new EventBus()) {
                saveSettings.run();
                ServerArtifact build = services.artifact().get(); // hashes the build: I/O, so here and not on the JavaFX thread
                for (String id : plan.environments()) {
                    EnvironmentCardViewModel card = card(id);
                    card.stopLive();
                    environments.put(id, card.environment());
                }
                bus.subscribe(e -> {
                    if (e instanceof RunEvent.RunFailed f && f.environment() != null) {
                        failures.put(f.environment(), f.message());
                    }
                    onEvent(e);
                });
                ComparisonRun run = new ComparisonRun(plan, environments, build, bus);
                var subject = app.get();
                if (subject != null) {
                    run.forSubject(subject);
                }
                currentRun = run;
                RunResult r = run.run();
                bus.drain();
                finished(r);
            } catch (Exception | Error e) {
                // Only what escaped the run itself: one banner, and the toolbar says so in short. An Error too (out of
                // memory, a class missing from a broken install): the toolbar must never stay stuck on "running".
                notifications.post(Banner.error("The comparison failed", e).about(Banner.RUN));
                String why = UserMessages.describe(e);
                threads.ui().execute(() -> {
                    running.set(false);
                    phase.set("The comparison failed: " + why);
                });
            } finally {
                currentRun = null;
                for (String id : plan.environments()) {
                    card(id).afterRun(failures.get(id));
                }
            }
        });
    }

    /** Stops the current run; it cleans up and keeps what it measured so far. */
    public void stop() {
        ComparisonRun run = currentRun;
        if (run != null) {
            run.cancel();
            threads.ui().execute(() -> phase.set("Stopping…"));
        }
    }

    void onEvent(RunEvent e) {
        switch (e) {
            case RunEvent.PhaseStarted p -> {
                String name = p.phase().name().toLowerCase(Locale.ROOT).replace('_', ' ');
                String text = names.apply(p.environment()) + " · " + name + " · " + p.detail() + left(p.progress());
                card(p.environment()).runPhase(name + "…", p.detail());
                threads.ui().execute(() -> {
                    progress.set(p.progress());
                    phase.set(text);
                });
            }
            case RunEvent.StartupMeasured s -> threads.ui().execute(() -> phase.set(names.apply(s.environment())
                    + " · restart " + s.trial() + ": " + String.format(Locale.ROOT, "%.0f ms to the first 200", s.timing().totalMillis())));
            case RunEvent.ResourceSampled s -> {
                // Every reading shows on the card; the chart draws it where the engine says it belongs, if anywhere.
                card(s.environment()).reading(s.sample());
                if (s.at().drawn()) {
                    ResourceSample r = s.sample();
                    plot(s.environment(), s.at().seconds(), r.cpuPercent(), r.appMemoryBytes(), r.environmentMemoryBytes());
                }
            }
            case RunEvent.LoadTicked t -> plot(t.environment(), t.at().seconds(), t.tick());
            case RunEvent.CapacityStepMeasured c -> {
                var live = capacityLive;
                if (live != null) {
                    threads.ui().execute(() -> live.step(c.environment(), c.step()));
                }
            }
            case RunEvent.EnvironmentFinished f when f.result().capacity() != null -> {
                var live = capacityLive;
                if (live != null) {
                    threads.ui().execute(() -> live.capacity(f.result().environment(), f.result().capacity()));
                }
            }
            // An environment that cannot be measured says so on its card; the run's end says it once in a banner.
            case RunEvent.RunFailed f -> {
                if (f.environment() != null) {
                    card(f.environment()).runProblem(f.message());
                }
            }
            default -> {
            }
        }
    }

    private void finished(RunResult r) {
        try (RunHistory h = services.history().get()) {
            h.save(r);
        } catch (RuntimeException e) {
            notifications.error("The run could not be saved in the history", e);
        }
        threads.ui().execute(this::refreshEstimate); // it learns from the run just saved
        double seconds = (System.nanoTime() - runStartNanos) / 1e9;
        // The banner first: by the time the toolbar says the run is over, its outcome is on screen (the same UI queue).
        notifications.post(outcome(r).about(Banner.RUN));
        threads.ui().execute(() -> {
            show(r);
            running.set(false);
            progress.set(1);
            phase.set(String.format(Locale.ROOT, "Run %s %s in %.0f s.", r.id(), r.status().name().toLowerCase(Locale.ROOT), seconds));
        });
        historyChanged.run();
    }

    /** " 2 figures are noisy: ⚠ in the Comparison tab says why." when some are; a noisy figure is no failure. */
    static String noiseNote(RunResult r) {
        int n = ComparisonTable.noise(r).size();
        return n == 0 ? "" : " " + n + (n == 1 ? " figure is" : " figures are") + " noisy: ⚠ in the Comparison tab says why.";
    }

    /** The one banner a finished run gets: what happened, and where to look. */
    static Banner outcome(RunResult r) {
        List<EnvironmentResult> failed = r.environments().stream().filter(e -> e.failure() != null).toList();
        List<String> others = r.warnings().stream().filter(w -> failed.stream().noneMatch(f -> w.contains(f.failure()))).toList();
        String more = others.isEmpty() ? "" : " " + String.join(" ", others);
        return switch (r.status()) {
            case FAILED -> new Banner(Banner.Level.ERROR, "The comparison failed", String.join(" ", r.warnings()));
            case CANCELLED -> new Banner(Banner.Level.WARNING, "Comparison stopped",
                    "What was measured until then is kept: run " + r.id() + " is in the history, marked cancelled." + more);
            case COMPLETED -> failed.isEmpty()
                    ? others.isEmpty()
                        ? new Banner(Banner.Level.SUCCESS, "Comparison finished", "Run " + r.id() + " is in the history; export it with Ctrl+E."
                                + noiseNote(r))
                        : new Banner(Banner.Level.WARNING, "Comparison finished, with warnings", String.join(" ", others))
                    : new Banner(Banner.Level.WARNING, "Comparison finished; " + failed.stream().map(EnvironmentResult::displayName)
                            .reduce((a, b) -> a + " and " + b).orElse("") + (failed.size() == 1 ? " was" : " were") + " not fully measured",
                            "Its card says why. What was measured is in run " + r.id() + "." + more);
        };
    }

    /** Shows a run (just finished, or opened from the history) in the charts and the table. */
    public void show(RunResult r) {
        result.set(r);
        machine.set(ComparisonTable.machine(r));
        tableHeaders.setAll(ComparisonTable.headers(r));
        tableRows.setAll(ComparisonTable.rows(r));
        if (r.plan().isCapacitySearch()) {
            capacityChart.set(CapacityChart.chart(r));
        } else if (capacityLive == null || !running.get()) {
            capacityChart.set(null);
        }
        boolean overhead = OverheadTable.applies(r);
        overheadColumns.setAll(overhead ? OverheadTable.columns(r) : List.of());
        overheadRows.setAll(OverheadTable.rows(r));
        overheadNote.set(overhead ? "Overhead against the " + OverheadTable.baselineName(r)
                .toLowerCase(Locale.ROOT) + ". " + OverheadTable.note(r) : "");
    }

    /** A stored run, into the charts (from the io executor) and the table. */
    public void open(RunResult r) {
        feed.reset();
        feed.expect(r.environments().stream().filter(EnvironmentResult::measured).map(EnvironmentResult::environment).toList());
        for (var env : r.environments()) {
            if (!env.measured()) {
                continue;
            }
            for (var p : env.resources()) {
                plot(env.environment(), p.seconds(), p.cpuPercent(), p.appMemoryBytes(), p.environmentMemoryBytes());
            }
            env.load().ticks().forEach(t -> plot(env.environment(), t.second(), t)); // a stored run's ticks are numbered across its rounds
        }
        threads.ui().execute(() -> {
            show(r);
            phase.set("Showing run " + r.id() + (r.label().isBlank() ? "" : " (" + r.label() + ")") + " from the history.");
        });
    }

    /** One resource reading onto the CPU and memory charts (memory in MiB; -1 means not read). */
    private void plot(String env, double x, double cpu, long appBytes, long environmentBytes) {
        feed.add(new ChartFeed.Key(Charts.Kind.CPU, env, "cpu"), x, cpu);
        if (appBytes >= 0) {
            feed.add(new ChartFeed.Key(Charts.Kind.MEMORY, env, "app"), x, appBytes / 1048576.0);
        }
        if (environmentBytes >= 0) {
            feed.add(new ChartFeed.Key(Charts.Kind.MEMORY, env, "environment"), x, environmentBytes / 1048576.0);
        }
    }

    /** One second of load onto the latency and throughput charts, at {@code x} on the environment's running axis. */
    private void plot(String env, double x, LoadTick t) {
        feed.add(new ChartFeed.Key(Charts.Kind.LATENCY, env, "p50"), x, t.p50Millis());
        feed.add(new ChartFeed.Key(Charts.Kind.LATENCY, env, "p95"), x, t.p95Millis());
        feed.add(new ChartFeed.Key(Charts.Kind.LATENCY, env, "p99"), x, t.p99Millis());
        feed.add(new ChartFeed.Key(Charts.Kind.THROUGHPUT, env, "rps"), x, t.requestsPerSecond());
    }

    private EnvironmentCardViewModel card(String id) {
        return cards.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    void close() {
        stop();
    }

    public ChartFeed feed() {
        return feed;
    }

    /**
     * "Estimated time: about 4 min (local …, docker …, vm …), from 3 earlier runs here": the profile for the ticked
     * environments, learned from what this machine measured before. Call when the profile or the ticks change.
     */
    public void refreshEstimate() {
        RunPlan plan;
        try {
            plan = plan();
        } catch (RuntimeException e) {
            estimate.set("");
            estimateShort.set("");
            return;
        }
        threads.io().submit(() -> {
            String text;
            String brief;
            try (RunHistory h = services.history().get()) {
                TimeEstimate e = h.estimate(plan);
                text = "Estimated time: " + e.describe() + ".";
                brief = TimeEstimate.about(e.total()).replace("about ", "≈ ");
            } catch (RuntimeException e) {
                text = "";
                brief = "";
            }
            String shown = text;
            String shownBrief = brief;
            threads.ui().execute(() -> {
                estimate.set(shown);
                estimateShort.set(shownBrief);
            });
        });
    }

    public ReadOnlyStringProperty estimateProperty() {
        return estimate;
    }

    /** "≈ 4 min": the toolbar's figure; {@link #estimateProperty()} says it in full. */
    public ReadOnlyStringProperty estimateShortProperty() {
        return estimateShort;
    }

    /** " · about 2 min left" for the phase line, once the run's estimate is known. */
    private String left(double fraction) {
        TimeEstimate e = runEstimate;
        if (e == null) {
            return "";
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - runStartNanos);
        return " · " + TimeEstimate.about(e.remaining(elapsed, fraction)) + " left";
    }

    /** A comparison cell as the table shows it: "✓ " on the best side, the figure, then its ratio to the baseline. */
    static String cellText(ComparisonTable.Cell cell) {
        return (cell.best() ? "✓ " : "") + cell.text() + (cell.ratio().isEmpty() ? "" : "   " + cell.ratio())
                + (cell.cv().isEmpty() ? "" : "   " + cell.cv()) + (cell.noisy() ? "  ⚠" : "");
    }

    /**
     * A cell's tooltip: how sure its figure is (its own interval with the level it has, and why no side is marked when
     * the ratio is unsure), then what a noisy cell's mark means; null for a cell with nothing to say.
     */
    static String cellTooltip(ComparisonTable.Cell cell) {
        String text = (cell.sure().isEmpty() ? "" : cell.sure()) + (cell.noisy() ? (cell.sure().isEmpty() ? "" : "\n⚠ ") + cell.noise() + "." : "");
        return text.isEmpty() ? null : text;
    }

    /** An overhead cell in three short lines, so that a narrow column still shows them whole: ratio, its interval, the figure. */
    static String overheadCellText(OverheadTable.Cell cell) {
        String ratio = cell.ratio();
        int bracket = ratio.indexOf(" [");
        return ratio.isEmpty() ? cell.value()
                : bracket < 0 ? ratio + "\n\n" + cell.value() : ratio.substring(0, bracket) + "\n" + ratio.substring(bracket + 1) + "\n" + cell.value();
    }

    /** An overhead row's environment: its name (the baseline said so) over its network path. */
    static String overheadRowText(OverheadTable.Row row) {
        return row.name() + (row.baseline() ? "  (baseline)" : "") + "\n" + row.networkPath();
    }

    public ObjectProperty<Profile> profileProperty() {
        return profile;
    }

    public IntegerProperty customSecondsProperty() {
        return customSeconds;
    }

    public IntegerProperty customConcurrencyProperty() {
        return customConcurrency;
    }

    public IntegerProperty customRateProperty() {
        return customRate;
    }

    public IntegerProperty customTrialsProperty() {
        return customTrials;
    }

    public IntegerProperty customWarmupProperty() {
        return customWarmup;
    }

    public StringProperty customMixProperty() {
        return customMix;
    }

    public BooleanProperty customUntilStableProperty() {
        return customUntilStable;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running;
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress;
    }

    /** The machine the shown run ran on, in one line (empty before a run). */
    public ReadOnlyStringProperty machineProperty() {
        return machine;
    }

    public ReadOnlyStringProperty phaseProperty() {
        return phase;
    }

    public ReadOnlyObjectProperty<RunResult> resultProperty() {
        return result;
    }

    public ObservableList<String> tableHeaders() {
        return tableHeaders;
    }

    public ObservableList<ComparisonTable.Row> tableRows() {
        return tableRows;
    }

    /** The capacity search's chart (live while it runs), or null when the run shown is a comparison. */
    public ReadOnlyObjectProperty<JFreeChart> capacityChartProperty() {
        return capacityChart;
    }

    /** The overhead table's columns: empty until a run with a baseline and another environment is shown. */
    public ObservableList<OverheadTable.Column> overheadColumns() {
        return overheadColumns;
    }

    public ObservableList<OverheadTable.Row> overheadRows() {
        return overheadRows;
    }

    public ReadOnlyStringProperty overheadNote() {
        return overheadNote;
    }

}
