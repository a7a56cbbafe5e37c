package org.gallerybench.dashboard.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

import org.gallerybench.dashboard.bench.AppPaths;
import org.gallerybench.dashboard.bench.ComparisonRun;
import org.gallerybench.dashboard.bench.EnvironmentCatalog;
import org.gallerybench.dashboard.bench.Fingerprint;
import org.gallerybench.dashboard.bench.EnvironmentSettings;
import org.gallerybench.dashboard.bench.EventBus;
import org.gallerybench.dashboard.bench.LoadProfile;
import org.gallerybench.dashboard.bench.LoadTick;
import org.gallerybench.dashboard.bench.MetricComparison;
import org.gallerybench.dashboard.bench.RequestMix;
import org.gallerybench.dashboard.bench.RunEvent;
import org.gallerybench.dashboard.bench.RunPlan;
import org.gallerybench.dashboard.bench.RunResult;
import org.gallerybench.dashboard.bench.SettingsStore;
import org.gallerybench.dashboard.history.RunHistory;
import org.gallerybench.dashboard.report.Charts;
import org.gallerybench.dashboard.report.ComparisonTable;
import org.gallerybench.dashboard.report.Reports;
import org.gallerybench.environments.Environment;
import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.ServerArtifact;

/**
 * The dashboard's logic, without a window: the cards, the run (one click, a profile, stop), the live chart feed,
 * the comparison table, exports, history and remembered settings. The view only binds and lays out.
 */
public final class DashboardViewModel implements AutoCloseable {
    /** Run profiles: quick (about a minute), standard, or custom figures. */
    public enum Profile { QUICK, STANDARD, CUSTOM }

    private static final int SERIES_CAPACITY = 600;

    private final AppPaths paths;
    private final SettingsStore store;
    private final Threads threads;
    private final ChartFeed feed = new ChartFeed(SERIES_CAPACITY);
    private final List<EnvironmentCardViewModel> cards = new ArrayList<>();
    private final Map<String, Instant> loadStarted = new ConcurrentHashMap<>();
    /** Per environment: seconds of load drawn in its earlier rounds, so that each round continues the line. */
    private final Map<String, Integer> roundOffset = new ConcurrentHashMap<>();
    /** Per environment: the last second drawn in the current round. */
    private final Map<String, Integer> lastSecond = new ConcurrentHashMap<>();
    private final Map<String, RunEvent.Phase> lastPhase = new ConcurrentHashMap<>();
    private volatile EnvironmentSettings environmentSettings;
    private volatile ComparisonRun currentRun;
    private volatile long runStartNanos;

    private final ObjectProperty<Profile> profile = new SimpleObjectProperty<>(Profile.QUICK);
    private final IntegerProperty customSeconds = new SimpleIntegerProperty(20);
    private final IntegerProperty customConcurrency = new SimpleIntegerProperty(32);
    private final IntegerProperty customRate = new SimpleIntegerProperty(0);
    private final IntegerProperty customTrials = new SimpleIntegerProperty(3);
    private final IntegerProperty customWarmup = new SimpleIntegerProperty(5);
    private final StringProperty customMix = new SimpleStringProperty("page=70,image=25,upload=5");
    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty phase = new SimpleStringProperty("Ready. Choose environments, then Run comparison (Ctrl+R).");
    private final ObjectProperty<RunResult> result = new SimpleObjectProperty<>();
    private final ObservableList<String> tableHeaders = FXCollections.observableArrayList();
    private final ObservableList<ComparisonTable.Row> tableRows = FXCollections.observableArrayList();
    private final ObservableList<Banner> banners = FXCollections.observableArrayList();
    private final ObservableList<RunHistory.Entry> history = FXCollections.observableArrayList();
    private final ObservableList<MetricComparison> historyComparison = FXCollections.observableArrayList();
    private final IntegerProperty exportWidth = new SimpleIntegerProperty(1200);
    private final IntegerProperty exportHeight = new SimpleIntegerProperty(600);
    private final StringProperty exportDir = new SimpleStringProperty("");
    private final StringProperty machine = new SimpleStringProperty("");
    private final boolean kvmUsable = Fingerprint.kvmUsable();

    public DashboardViewModel(AppPaths paths, Threads threads) {
        this.paths = paths;
        this.threads = threads;
        this.store = new SettingsStore(paths.settingsFile());
        SettingsStore.Saved saved = store.load();
        this.environmentSettings = saved.environments();
        profile.set(parseProfile(saved.profile()));
        exportWidth.set(saved.exportWidth());
        exportHeight.set(saved.exportHeight());
        exportDir.set(Path.of("results").toAbsolutePath().toString());
        for (String id : EnvironmentCatalog.IDS) {
            EnvironmentCardViewModel card = new EnvironmentCardViewModel(id, EnvironmentCatalog.displayName(id), threads,
                    () -> new EnvironmentCatalog(paths, environmentSettings).create(id), this::artifact, this::banner);
            card.includedProperty().set(saved.selected().contains(id));
            cards.add(card);
        }
        updateCaveats();
    }

    /**
     * Whether this environment's figures come from a VM under emulation: Vagrant's VM on this machine without usable
     * KVM. The card, the live charts' legends and the reports say so.
     */
    public boolean emulated(String id) {
        return id.equals("vm") && environmentSettings.usesVagrant() && !kvmUsable;
    }

    private void updateCaveats() {
        for (EnvironmentCardViewModel card : cards) {
            card.caveatProperty().set(emulated(card.id()) ? "Figures are " + Fingerprint.EMULATION_WARNING + "." : "");
        }
    }

    /** Checks every environment's status in the background. */
    public void start() {
        cards.forEach(EnvironmentCardViewModel::refresh);
        refreshHistory();
    }

    public List<EnvironmentCardViewModel> cards() {
        return cards;
    }

    public EnvironmentCardViewModel card(String id) {
        return cards.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    public ChartFeed feed() {
        return feed;
    }

    public EnvironmentSettings environmentSettings() {
        return environmentSettings;
    }

    private ServerArtifact artifact() {
        return ServerArtifact.of(paths.serverJar());
    }

    // ---- settings ---------------------------------------------------------------------------------------

    /** Applies edited connection settings (validated), saves them, and re-checks the affected cards. */
    public boolean applySettings(EnvironmentSettings edited) {
        List<String> problems = new ArrayList<>();
        for (int port : new int[] {edited.localPort(), edited.dockerPort(), edited.vmPort(), edited.sshPort()}) {
            if (port < 1 || port > 65535) {
                problems.add("ports must be between 1 and 65535 (got " + port + ")");
            }
        }
        if (!edited.usesVagrant() && (edited.sshUser().isBlank() || edited.sshKey().isBlank())) {
            problems.add("an SSH VM needs a user and a key file");
        }
        if (!problems.isEmpty()) {
            banner(new Banner(Banner.Level.ERROR, "Settings not applied", String.join("; ", problems) + "."));
            return false;
        }
        EnvironmentSettings before = environmentSettings;
        environmentSettings = edited;
        threads.io().submit(this::saveSettings);
        if (before.localPort() != edited.localPort()) {
            card("local").reset();
        }
        if (!before.dockerHost().equals(edited.dockerHost()) || before.dockerPort() != edited.dockerPort()
                || before.matchLimits() != edited.matchLimits() || !before.dockerEndpointHost().equals(edited.dockerEndpointHost())) {
            card("docker").reset();
        }
        if (!before.vagrantDir().equals(edited.vagrantDir()) || !before.sshHost().equals(edited.sshHost()) || before.sshPort() != edited.sshPort()
                || !before.sshUser().equals(edited.sshUser()) || !before.sshKey().equals(edited.sshKey()) || before.vmPort() != edited.vmPort()
                || !before.vmEndpointHost().equals(edited.vmEndpointHost())) {
            card("vm").reset();
        }
        updateCaveats();
        return true;
    }

    public void saveSettings() {
        List<String> selected = cards.stream().filter(c -> c.includedProperty().get()).map(EnvironmentCardViewModel::id).toList();
        store.save(new SettingsStore.Saved(environmentSettings, profile.get().name().toLowerCase(Locale.ROOT), selected, exportWidth.get(),
                exportHeight.get()));
    }

    // ---- the run ---------------------------------------------------------------------------------------

    /** The plan the profile describes, for the environments ticked on the cards. */
    public RunPlan plan() {
        List<String> ids = cards.stream().filter(c -> c.includedProperty().get()).map(EnvironmentCardViewModel::id).toList();
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("Tick at least one environment on its card to include it in the comparison.");
        }
        return switch (profile.get()) {
            case QUICK -> RunPlan.quick(ids);
            case STANDARD -> RunPlan.standard(ids);
            case CUSTOM -> {
                Duration d = Duration.ofSeconds(Math.max(1, customSeconds.get()));
                LoadProfile load = customRate.get() > 0
                        ? LoadProfile.open(customRate.get(), Math.max(1, customConcurrency.get()), d)
                        : LoadProfile.closed(Math.max(1, customConcurrency.get()), d);
                load = load.withWarmup(Duration.ofSeconds(Math.max(0, customWarmup.get()))).withMix(RequestMix.parse(customMix.get()))
                        .withUploadBytes(32 * 1024);
                yield RunPlan.of(ids, load).withStartupTrials(Math.max(0, customTrials.get()), false, Math.max(0, customTrials.get()))
                        .withSampling(Duration.ofSeconds(1), Duration.ofSeconds(1)).withLabel("custom");
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
            banner(Banner.error("Cannot start the comparison", e));
            return;
        }
        feed.reset();
        loadStarted.clear();
        roundOffset.clear();
        lastSecond.clear();
        lastPhase.clear();
        running.set(true);
        progress.set(0);
        phase.set("Starting " + String.join(", ", plan.environments()) + " · " + plan.load().describe());
        runStartNanos = System.nanoTime();
        threads.io().submit(() -> {
            Map<String, Environment> environments = new LinkedHashMap<>();
            try (EventBus bus = new EventBus()) {
                saveSettings();
                ServerArtifact build = artifact(); // hashes the build: I/O, so here and not on the JavaFX thread
                for (String id : plan.environments()) {
                    EnvironmentCardViewModel card = card(id);
                    card.stopLive();
                    environments.put(id, card.environment());
                }
                bus.subscribe(this::onEvent);
                ComparisonRun run = new ComparisonRun(plan, environments, build, bus);
                currentRun = run;
                RunResult r = run.run();
                bus.drain();
                finished(r);
            } catch (Exception e) {
                banner(Banner.error("The comparison failed", e));
                threads.ui().execute(() -> {
                    running.set(false);
                    phase.set("The comparison failed: " + e.getMessage());
                });
            } finally {
                currentRun = null;
                for (String id : plan.environments()) {
                    card(id).refresh();
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
                boolean newRound = p.phase() == RunEvent.Phase.WARMUP
                        || (p.phase() == RunEvent.Phase.LOAD && lastPhase.get(p.environment()) != RunEvent.Phase.WARMUP);
                if (newRound) {
                    // A later round continues the line where the last one ended, instead of drawing over it.
                    roundOffset.merge(p.environment(), lastSecond.getOrDefault(p.environment(), 0), Integer::sum);
                    lastSecond.put(p.environment(), 0);
                }
                lastPhase.put(p.environment(), p.phase());
                if (p.phase() == RunEvent.Phase.WARMUP || (p.phase() == RunEvent.Phase.LOAD && !loadStarted.containsKey(p.environment()))) {
                    loadStarted.put(p.environment(), p.time().plus(p.phase() == RunEvent.Phase.WARMUP ? warmup() : Duration.ZERO));
                }
                if (p.phase() == RunEvent.Phase.LOAD) {
                    loadStarted.put(p.environment(), p.time());
                }
                String text = EnvironmentCatalog.displayName(p.environment()) + " · " + p.phase().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + " · " + p.detail();
                card(p.environment()).runPhase(p.phase().name().toLowerCase(Locale.ROOT).replace('_', ' ') + "…");
                threads.ui().execute(() -> {
                    progress.set(p.progress());
                    phase.set(text);
                });
            }
            case RunEvent.StartupMeasured s -> threads.ui().execute(() -> phase.set(EnvironmentCatalog.displayName(s.environment())
                    + " · restart " + s.trial() + ": " + String.format(Locale.ROOT, "%.0f ms to the first 200", s.timing().totalMillis())));
            case RunEvent.ResourceSampled s -> {
                card(s.environment()).reading(s.sample());
                Instant origin = loadStarted.get(s.environment());
                if (origin != null) {
                    ResourceSample r = s.sample();
                    int offset = roundOffset.getOrDefault(s.environment(), 0);
                    double x = Duration.between(origin, r.time()).toMillis() / 1000.0;
                    if (x >= 0 || offset == 0) { // a later round's warm-up would draw over the round before
                        plot(s.environment(), offset + x, r.cpuPercent(), r.appMemoryBytes(), r.environmentMemoryBytes());
                    }
                }
            }
            case RunEvent.LoadTicked t -> plot(t.environment(), t.tick());
            case RunEvent.RunFailed f -> {
                if (f.environment() != null) {
                    card(f.environment()).runProblem(f.message());
                    banner(new Banner(Banner.Level.ERROR, EnvironmentCatalog.displayName(f.environment()) + " could not be measured", f.message()));
                } else {
                    banner(new Banner(Banner.Level.ERROR, "The comparison failed", f.message()));
                }
            }
            default -> {
            }
        }
    }

    private Duration warmup() {
        try {
            return plan().load().warmup();
        } catch (RuntimeException e) {
            return Duration.ZERO;
        }
    }

    private void finished(RunResult r) {
        try (RunHistory h = new RunHistory(paths.history())) {
            h.save(r);
        } catch (RuntimeException e) {
            banner(Banner.error("The run could not be saved in the history", e));
        }
        double seconds = (System.nanoTime() - runStartNanos) / 1e9;
        threads.ui().execute(() -> {
            show(r);
            running.set(false);
            progress.set(1);
            phase.set(String.format(Locale.ROOT, "Run %s %s in %.0f s.", r.id(), r.status().name().toLowerCase(Locale.ROOT), seconds));
        });
        if (r.status() == RunResult.Status.COMPLETED && r.warnings().isEmpty()) {
            banner(new Banner(Banner.Level.SUCCESS, "Comparison finished", "Run " + r.id() + " is in the history; export it with Ctrl+E."));
        } else if (!r.warnings().isEmpty()) {
            banner(new Banner(Banner.Level.WARNING, "Comparison " + r.status().name().toLowerCase(Locale.ROOT) + " with warnings",
                    String.join(" ", r.warnings())));
        }
        refreshHistory();
    }

    /** Shows a run (just finished, or opened from the history) in the charts and the table. */
    public void show(RunResult r) {
        result.set(r);
        machine.set(ComparisonTable.machine(r));
        tableHeaders.setAll(ComparisonTable.headers(r));
        tableRows.setAll(ComparisonTable.rows(r));
    }

    /** Replays a stored run into the charts. */
    private void replay(RunResult r) {
        feed.reset();
        roundOffset.clear(); // a stored run's ticks are already numbered across its rounds
        lastSecond.clear();
        for (var env : r.environments()) {
            if (!env.measured()) {
                continue;
            }
            for (var p : env.resources()) {
                plot(env.environment(), p.seconds(), p.cpuPercent(), p.appMemoryBytes(), p.environmentMemoryBytes());
            }
            env.load().ticks().forEach(t -> plot(env.environment(), t));
        }
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

    /** One second of load onto the latency and throughput charts. */
    private void plot(String env, LoadTick t) {
        lastSecond.put(env, t.second());
        int x = roundOffset.getOrDefault(env, 0) + t.second();
        feed.add(new ChartFeed.Key(Charts.Kind.LATENCY, env, "p50"), x, t.p50Millis());
        feed.add(new ChartFeed.Key(Charts.Kind.LATENCY, env, "p95"), x, t.p95Millis());
        feed.add(new ChartFeed.Key(Charts.Kind.LATENCY, env, "p99"), x, t.p99Millis());
        feed.add(new ChartFeed.Key(Charts.Kind.THROUGHPUT, env, "rps"), x, t.requestsPerSecond());
    }

    // ---- export ---------------------------------------------------------------------------------------

    /** Writes one chart, or all of them, as PNG at the chosen size, in the background. */
    public void exportCharts(Set<Charts.Kind> kinds) {
        RunResult r = result.get();
        if (r == null) {
            banner(new Banner(Banner.Level.WARNING, "Nothing to export yet", "Run a comparison, or open one from the history, first."));
            return;
        }
        int w = exportWidth.get();
        int h = exportHeight.get();
        Path dir = Path.of(exportDir.get().isBlank() ? "results" : exportDir.get()).resolve(r.id());
        threads.io().submit(() -> {
            try {
                if (w < 200 || h < 150 || w > 8000 || h > 8000) {
                    throw new IllegalArgumentException("Choose a size between 200x150 and 8000x8000 pixels (got " + w + "x" + h + ").");
                }
                java.nio.file.Files.createDirectories(dir);
                for (Charts.Kind k : kinds) {
                    org.jfree.chart.ChartUtils.saveChartAsPNG(dir.resolve(k.file + ".png").toFile(), Charts.chart(k, r), w, h);
                }
                banner(new Banner(Banner.Level.SUCCESS, "Exported " + kinds.size() + (kinds.size() == 1 ? " chart" : " charts"),
                        "PNG, " + w + "x" + h + ", in " + dir.toAbsolutePath()));
            } catch (IOException | RuntimeException e) {
                banner(Banner.error("Export failed", e));
            }
        });
    }

    /** Writes the full report: HTML, JSON, CSV and Markdown (and the PNGs). */
    public void exportReport() {
        RunResult r = result.get();
        if (r == null) {
            banner(new Banner(Banner.Level.WARNING, "Nothing to export yet", "Run a comparison, or open one from the history, first."));
            return;
        }
        Path dir = Path.of(exportDir.get().isBlank() ? "results" : exportDir.get()).resolve(r.id());
        int w = exportWidth.get();
        int h = exportHeight.get();
        threads.io().submit(() -> {
            try {
                List<Path> files = Reports.write(r, dir, EnumSet.allOf(Reports.Format.class), w, h);
                banner(new Banner(Banner.Level.SUCCESS, "Report written", files.size() + " files in " + dir.toAbsolutePath()
                        + " (report.html, run.json, series.csv, report.md and the charts)."));
            } catch (IOException | RuntimeException e) {
                banner(Banner.error("The report could not be written", e));
            }
        });
    }

    // ---- history --------------------------------------------------------------------------------------

    public void refreshHistory() {
        threads.io().submit(() -> {
            try (RunHistory h = new RunHistory(paths.history())) {
                List<RunHistory.Entry> entries = h.list();
                threads.ui().execute(() -> history.setAll(entries));
            } catch (RuntimeException e) {
                banner(Banner.error("The history cannot be read", e));
            }
        });
    }

    public void openRun(String id) {
        threads.io().submit(() -> {
            try (RunHistory h = new RunHistory(paths.history())) {
                RunResult r = h.require(id);
                replay(r);
                threads.ui().execute(() -> {
                    show(r);
                    phase.set("Showing run " + r.id() + (r.label().isBlank() ? "" : " (" + r.label() + ")") + " from the history.");
                });
            } catch (RuntimeException e) {
                banner(Banner.error("Cannot open run " + id, e));
            }
        });
    }

    public void compareRuns(String a, String b) {
        threads.io().submit(() -> {
            try (RunHistory h = new RunHistory(paths.history())) {
                List<MetricComparison> rows = h.compare(a, b);
                List<String> unlike = h.differences(a, b);
                threads.ui().execute(() -> historyComparison.setAll(rows));
                if (!unlike.isEmpty()) {
                    banner(new Banner(Banner.Level.WARNING, "These runs are not like for like", String.join("; ", unlike) + "."));
                } else if (rows.isEmpty()) {
                    banner(new Banner(Banner.Level.WARNING, "Nothing to compare", "The two runs have no environment measured in both."));
                }
            } catch (RuntimeException e) {
                banner(Banner.error("Cannot compare " + a + " with " + b, e));
            }
        });
    }

    public void markBaseline(String id) {
        threads.io().submit(() -> {
            try (RunHistory h = new RunHistory(paths.history())) {
                h.markBaseline(id);
            } catch (RuntimeException e) {
                banner(Banner.error("Cannot mark the baseline", e));
            }
            refreshHistory();
        });
    }

    public void deleteRun(String id) {
        threads.io().submit(() -> {
            try (RunHistory h = new RunHistory(paths.history())) {
                h.delete(id);
            } catch (RuntimeException e) {
                banner(Banner.error("Cannot delete run " + id, e));
            }
            refreshHistory();
        });
    }

    // ---- banners --------------------------------------------------------------------------------------

    public void banner(Banner b) {
        threads.ui().execute(() -> {
            banners.removeIf(existing -> existing.title().equals(b.title()));
            banners.addFirst(b);
            while (banners.size() > 4) {
                banners.removeLast();
            }
        });
    }

    public void dismiss(Banner b) {
        banners.remove(b);
    }

    private static Profile parseProfile(String s) {
        try {
            return Profile.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            return Profile.QUICK;
        }
    }

    @Override
    public void close() {
        stop();
        saveSettings();
        for (EnvironmentCardViewModel c : cards) {
            c.stopLive();
        }
        threads.io().shutdown();
    }

    // ---- properties ------------------------------------------------------------------------------------

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

    public ObservableList<Banner> banners() {
        return banners;
    }

    public ObservableList<RunHistory.Entry> history() {
        return history;
    }

    public ObservableList<MetricComparison> historyComparison() {
        return historyComparison;
    }

    public IntegerProperty exportWidthProperty() {
        return exportWidth;
    }

    public IntegerProperty exportHeightProperty() {
        return exportHeight;
    }

    public StringProperty exportDirProperty() {
        return exportDir;
    }
}
