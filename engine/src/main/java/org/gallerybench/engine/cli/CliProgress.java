package org.gallerybench.engine.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

import org.gallerybench.engine.run.RunEvent;
import org.gallerybench.engine.run.TimeEstimate;
import java.time.Duration;

/**
 * Shows a run's progress: on a terminal, one line redrawn in place with a bar; otherwise (CI, pipes), plain lines,
 * one per phase and one every five seconds of load.
 */
final class CliProgress implements Consumer<RunEvent> {
    private final PrintStream out;
    private final boolean terminal;
    private String phase = "";
    private double progress;
    private String latest = "";
    private final TimeEstimate estimate;
    private long startedNanos = System.nanoTime();

    CliProgress(PrintStream out, boolean terminal, TimeEstimate estimate) {
        this.out = out;
        this.terminal = terminal;
        this.estimate = estimate;
    }

    /** " · about 2 min left", from the estimate and the run's own pace. */
    private String left() {
        if (estimate == null) {
            return "";
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
        return " · " + TimeEstimate.about(estimate.remaining(elapsed, progress)) + " left";
    }

    static boolean isTerminal() {
        return System.console() != null && System.console().isTerminal() && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void accept(RunEvent e) {
        switch (e) {
            case RunEvent.RunStarted s -> {
                startedNanos = System.nanoTime();
                line("run " + s.runId() + ": " + String.join(", ", s.plan().environments()) + " · " + s.plan().load().describe());
            }
            case RunEvent.PhaseStarted p -> {
                phase = p.environment() + " · " + p.phase().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " · " + p.detail();
                progress = p.progress();
                latest = "";
                if (terminal) {
                    redraw();
                } else {
                    line(String.format(Locale.ROOT, "[%3.0f%%] %s%s", 100 * progress, phase, left()));
                }
            }
            case RunEvent.StartupMeasured t -> {
                latest = String.format(Locale.ROOT, "%s %d: %.0f ms", t.timing().kind(), t.trial(), t.timing().totalMillis());
                if (terminal) {
                    redraw();
                } else {
                    line("       " + t.environment() + " " + latest);
                }
            }
            case RunEvent.LoadTicked t -> {
                latest = String.format(Locale.ROOT, "%ds: %.0f req/s, p99 %s, %d errors", t.tick().second(), t.tick().requestsPerSecond(),
                        Double.isNaN(t.tick().p99Millis()) ? "none answered" : String.format(Locale.ROOT, "%.1f ms", t.tick().p99Millis()),
                        t.tick().errors());
                if (terminal) {
                    redraw();
                } else if (t.tick().second() % 5 == 0) {
                    line("       " + t.environment() + " " + latest);
                }
            }
            case RunEvent.CapacityStepMeasured c -> line(String.format(Locale.ROOT, "       %s step %d (%s) %,.0f/s: achieved %,.0f/s, p50 %.1f ms,"
                    + " p99 %.1f ms, %d errors, %d missed: %s", c.environment(), c.step().index(), c.step().phase(), c.step().targetRate(),
                    c.step().achievedRate(), c.step().p50Millis(), c.step().p99Millis(), c.step().errors(), c.step().missed(),
                    c.step().passed() ? "held" : c.step().verdict()));
            case RunEvent.RunFailed f -> line((f.environment() == null ? "run" : f.environment()) + ": " + f.message());
            case RunEvent.EnvironmentFinished f when f.result().load() != null && f.result().load().errors() > 0 ->
                    line("       " + f.result().environment() + " errors: " + f.result().load().describeErrors());
            case RunEvent.RunCancelled c -> line("cancelled");
            case RunEvent.RunFinished f -> {
                if (terminal) {
                    out.print("\r\033[2K");
                }
                line("run " + f.runId() + " " + f.result().status().name().toLowerCase(Locale.ROOT));
            }
            default -> {
            }
        }
    }

    private void redraw() {
        int width = 24;
        int filled = (int) Math.round(progress * width);
        String bar = "█".repeat(filled) + "░".repeat(width - filled);
        String text = String.format(Locale.ROOT, "%s %3.0f%% %s%s%s", bar, 100 * progress, left().replace(" · ", ""), " · " + phase,
                latest.isEmpty() ? "" : " · " + latest);
        out.print("\r\033[2K" + (text.length() > 160 ? text.substring(0, 160) : text));
        out.flush();
    }

    private void line(String text) {
        if (terminal) {
            out.print("\r\033[2K");
        }
        out.println(text);
        out.flush();
    }
}
