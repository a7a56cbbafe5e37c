package org.gallerybench.engine.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.gallerybench.engine.BenchException;
import org.gallerybench.engine.run.Comparisons;
import org.gallerybench.engine.run.EnvironmentResult;
import org.gallerybench.engine.run.MetricComparison;
import org.gallerybench.engine.run.RunResult;
import org.gallerybench.engine.run.RunPlan;
import org.gallerybench.engine.run.TimeEstimate;
import org.gallerybench.engine.report.JsonReport;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.gallerybench.engine.run.Metric;
import org.gallerybench.engine.run.Trend;

/**
 * Every run, kept in an embedded H2 database (a file in the user's data folder): its summary for listing and the
 * whole result, series and histograms included, for reports and comparisons. Writes are transactional; a run is
 * only ever removed by an explicit delete.
 */
public final class RunHistory implements AutoCloseable {
    private final String url;

    /** One line of the history list. */
    public record Entry(String id, String label, RunResult.Status status, Instant startedAt, String environments, boolean baseline,
                        String headline) {
    }

    /** Opens (creating if needed) the history at {@code file} (H2 adds .mv.db). */
    public RunHistory(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new HistoryException("Cannot create the history folder " + file.getParent() + ": " + e.getMessage(), e);
        }
        // AUTO_SERVER lets the dashboard and the CLI use the same history at once.
        this.url = "jdbc:h2:file:" + file.toAbsolutePath() + ";AUTO_SERVER=TRUE";
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS runs (
                        id VARCHAR(64) PRIMARY KEY,
                        label VARCHAR(200) NOT NULL,
                        status VARCHAR(16) NOT NULL,
                        started_at TIMESTAMP WITH TIME ZONE NOT NULL,
                        environments VARCHAR(200) NOT NULL,
                        baseline BOOLEAN DEFAULT FALSE NOT NULL,
                        headline VARCHAR(1000) NOT NULL,
                        result CLOB NOT NULL)""");
        } catch (SQLException e) {
            throw new HistoryException("Cannot open the run history at " + file + ": " + e.getMessage()
                    + ". If another Gallery Bench holds it, close that one, or set GALLERYBENCH_HOME to use another folder.", e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }

    public void save(RunResult run) {
        try (Connection c = connect();
             PreparedStatement p = c.prepareStatement("MERGE INTO runs (id, label, status, started_at, environments, headline, result) KEY (id)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, run.id());
            p.setString(2, run.label());
            p.setString(3, run.status().name());
            p.setTimestamp(4, Timestamp.from(run.startedAt()));
            p.setString(5, String.join(",", run.plan().environments()));
            p.setString(6, headline(run));
            p.setString(7, JsonReport.render(run));
            p.executeUpdate();
        } catch (SQLException e) {
            throw new HistoryException("Cannot save run " + run.id() + " to the history: " + e.getMessage(), e);
        }
    }

    /** Newest first. */
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id, label, status, started_at, environments, baseline, headline FROM runs ORDER BY started_at DESC")) {
            while (r.next()) {
                out.add(new Entry(r.getString(1), r.getString(2), RunResult.Status.valueOf(r.getString(3)), r.getTimestamp(4).toInstant(),
                        r.getString(5), r.getBoolean(6), r.getString(7)));
            }
        } catch (SQLException e) {
            throw new HistoryException("Cannot read the run history: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * How long {@code plan} will take here, learned from the recent completed runs (see {@link TimeEstimate}). A history
     * that cannot be read gives the defaults: an estimate is never worth failing a run for.
     */
    public TimeEstimate estimate(RunPlan plan) {
        List<RunResult> recent = new ArrayList<>();
        try {
            for (Entry e : list()) {
                if (recent.size() >= TimeEstimate.RECENT_RUNS) {
                    break;
                }
                if (e.status() == RunResult.Status.COMPLETED) {
                    get(e.id()).ifPresent(recent::add);
                }
            }
        } catch (RuntimeException unreadable) {
            recent.clear();
        }
        return TimeEstimate.of(plan, recent);
    }

    public Optional<RunResult> get(String id) {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement("SELECT result FROM runs WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                // Its intervals as this version makes them, with the level they really have, whatever version stored it.
                return r.next() ? Optional.of(JsonReport.read(r.getString(1)).restated()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new HistoryException("Cannot read run " + id + ": " + e.getMessage(), e);
        }
    }

    /** The run, or a clear error that says how to find the right id. */
    public RunResult require(String id) {
        return get(id).orElseThrow(() -> new HistoryException("There is no run '" + id + "' in the history. List them with: gallerybench history list"));
    }

    /** Marks one run as the baseline; only one run is the baseline at a time. */
    public void markBaseline(String id) {
        require(id);
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement(); PreparedStatement p = c.prepareStatement("UPDATE runs SET baseline = TRUE WHERE id = ?")) {
                s.executeUpdate("UPDATE runs SET baseline = FALSE WHERE baseline");
                p.setString(1, id);
                p.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new HistoryException("Cannot mark run " + id + " as the baseline: " + e.getMessage(), e);
        }
    }

    public Optional<String> baseline() {
        return list().stream().filter(Entry::baseline).map(Entry::id).findFirst();
    }

    /** Deletes one run; returns false if there was none with that id (nothing else is touched). */
    public boolean delete(String id) {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement("DELETE FROM runs WHERE id = ?")) {
            p.setString(1, id);
            return p.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new HistoryException("Cannot delete run " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * One figure of one environment across the last {@code last} completed runs of one app ({@code app}, or the latest
     * run's), oldest first: see {@link org.gallerybench.engine.run.Trend}. Runs are read only as far as needed.
     */
    public Trend trend(String environment, Metric metric, int last, String app) {
        Iterable<RunResult> runs = () -> list().stream().filter(e -> e.status() == RunResult.Status.COMPLETED).map(e -> require(e.id())).iterator();
        return Trend.of(runs, environment, metric, last, app);
    }

    /**
     * How much whole runs like {@code judged} differ on this machine, learned from the earlier runs kept here (those in
     * {@code excluded} left out: the run judged, say): see {@link RunToRunNoise}.
     */
    public RunToRunNoise noiseFor(RunResult judged, Set<String> excluded) {
        Iterable<RunResult> runs = () -> list().stream().filter(e -> e.status() == RunResult.Status.COMPLETED && !excluded.contains(e.id()))
                .filter(e -> e.startedAt() == null || judged.startedAt() == null || !e.startedAt().isAfter(judged.startedAt()))
                .map(e -> require(e.id())).iterator();
        return RunToRunNoise.learn(runs, judged, excluded);
    }

    /** Run B against run A, environment by environment (those measured in both), with intervals at the level they have. */
    public List<MetricComparison> compare(String a, String b) {
        return compare(require(a), require(b));
    }

    /** The same, for two results at hand (a run just made, kept in the history or not). */
    public static List<MetricComparison> compare(RunResult first, RunResult second) {
        String a = first.id();
        String b = second.id();
        List<MetricComparison> out = new ArrayList<>();
        for (EnvironmentResult ea : first.environments()) {
            second.environment(ea.environment()).filter(EnvironmentResult::measured).filter(x -> ea.measured()).ifPresent(eb -> {
                EnvironmentResult renamed = new EnvironmentResult(ea.environment() + "@" + b, eb.displayName(), eb.endpoint(), eb.startupTrials(),
                        eb.resources(), eb.load(), eb.rounds(), eb.summary(), null, eb.networkPath(), eb.capacity(), eb.busySeconds());
                EnvironmentResult base = new EnvironmentResult(ea.environment() + "@" + a, ea.displayName(), ea.endpoint(), ea.startupTrials(),
                        ea.resources(), ea.load(), ea.rounds(), ea.summary(), null, ea.networkPath(), ea.capacity(), ea.busySeconds());
                out.addAll(Comparisons.compute(base.environment(), List.of(base, renamed)));
            });
        }
        return out;
    }

    /**
     * What makes two runs unlike, in plain words: a different plan (load, rounds, trials, seed aside), a different
     * server build, or a different machine. Empty when they are like for like.
     */
    public List<String> differences(String a, String b) {
        return differences(require(a), require(b));
    }

    public static List<String> differences(RunResult a, RunResult b) {
        List<String> out = new ArrayList<>();
        if (!a.plan().subject().equals(b.plan().subject())) {
            out.add("they measured different apps: A " + a.plan().subject() + ", B " + b.plan().subject()
                    + " (their figures compare the apps, not the environments)");
        }
        if (!Objects.equals(a.plan().load(), b.plan().load())) {
            out.add("the load differs: A " + a.plan().load().describe() + "; B " + b.plan().load().describe());
        }
        if (a.plan().rounds() != b.plan().rounds() || a.plan().startupTrials() != b.plan().startupTrials()) {
            out.add("the plans differ: A " + a.plan().rounds() + " rounds and " + a.plan().startupTrials() + " startup trials; B "
                    + b.plan().rounds() + " rounds and " + b.plan().startupTrials() + " startup trials");
        }
        if (!Objects.equals(a.dataset() == null ? null : a.dataset().digest(), b.dataset() == null ? null : b.dataset().digest())) {
            out.add("the galleries differ: A " + (a.dataset() == null ? "its stores as found" : a.dataset().count() + " images, digest "
                    + shortBuild(a.dataset().digest())) + "; B " + (b.dataset() == null ? "its stores as found" : b.dataset().count()
                    + " images, digest " + shortBuild(b.dataset().digest())));
        }
        if (!Objects.equals(a.build(), b.build())) {
            out.add("the server builds differ: A " + shortBuild(a.build()) + ", B " + shortBuild(b.build()));
        }
        RunResult.Machine ma = a.machine();
        RunResult.Machine mb = b.machine();
        if (ma == null || !ma.sameAs(mb)) {
            out.add("the machines differ: A " + describe(ma) + "; B " + describe(mb));
        }
        return out;
    }

    private static String shortBuild(String digest) {
        return digest == null ? "unknown" : digest.substring(0, Math.min(12, digest.length()));
    }

    private static String describe(RunResult.Machine m) {
        return m == null ? "unknown" : m.host() + ", " + m.cores() + " cores, " + (m.memoryBytes() >> 20) + " MiB, " + m.os() + ", "
                + m.javaVersion();
    }

    private static String headline(RunResult run) {
        return run.environments().stream().map(e -> e.environment() + ": " + (e.capacity() != null
                        ? (e.capacity().found() ? String.format(Locale.ROOT, "capacity %,.0f/s at %s%s", e.capacity().capacityRate(),
                                e.capacity().objective(), e.capacity().generatorLimited() ? " (at least)" : "")
                                : "no rate held " + e.capacity().objective())
                        : e.measured()
                        ? String.format(Locale.ROOT, "start %.0f ms, %.0f req/s, p99 %.1f ms", e.summary().startupMedianMillis(),
                        e.summary().requestsPerSecond(), e.summary().p99Millis())
                        : "not measured"))
                .collect(Collectors.joining("; "));
    }

    @Override
    public void close() {
        // connections are opened per operation; nothing held
    }

    /** The history could not be read or written; the message says why and what to do. */
    /** A history failure with a message for the user; a BenchException, so the engine words it without knowing history. */
    public static final class HistoryException extends BenchException {
        public HistoryException(String message) {
            super(message);
        }

        public HistoryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
