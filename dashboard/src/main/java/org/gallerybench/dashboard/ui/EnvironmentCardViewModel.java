package org.gallerybench.dashboard.ui;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.gallerybench.engine.setup.EnvironmentKind;
import org.gallerybench.engine.setup.Connection;
import org.gallerybench.engine.run.UserMessages;
import org.gallerybench.engine.report.Fmt;
import org.gallerybench.environments.Environment;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.StartTiming;
import org.gallerybench.environments.MachineControl;

/**
 * One environment's card: its state (light, status and message as one value), endpoint, actions, live CPU and memory
 * readouts, and its own connection settings, which it validates and applies. All waiting happens on the io
 * executor; properties change on the ui executor.
 */
public final class EnvironmentCardViewModel {
    /** The status light. */
    public enum Light { UNKNOWN, ABSENT, STOPPED, BUSY, STARTING, READY, FAILED }

    private final String id;
    private final StringProperty displayName = new SimpleStringProperty();
    private final Threads threads;
    private final Notifications notifications;
    private final Supplier<Environment> factory;
    private final Supplier<ServerArtifact> artifact;
    private final Consumer<Connection> onApplied;
    private final ConnectionForm form;
    private volatile Connection connection;
    private volatile Environment environment;
    private volatile SampleStream live;
    /** A sentence the next status shows as its message (what the action achieved), unless the status is a failure. */
    private volatile String note = "";

    private final ObjectProperty<CardState> state = new SimpleObjectProperty<>(CardState.checking());
    private final ReadOnlyObjectWrapper<Light> light = new ReadOnlyObjectWrapper<>(Light.UNKNOWN);
    private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper("checking…");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final StringProperty endpoint = new SimpleStringProperty("");
    /** What the card's figures are not, e.g. a VM under emulation's warning; empty when nothing needs saying. */
    private final StringProperty caveat = new SimpleStringProperty("");
    private final StringProperty cpu = new SimpleStringProperty(Fmt.NONE);
    private final StringProperty memory = new SimpleStringProperty(Fmt.NONE);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final BooleanProperty included = new SimpleBooleanProperty(false);

    /**
     * @param factory   makes the environment from the current settings (on the io executor)
     * @param connection its connection settings, as they are now
     * @param vmLimits  the VM's size in words, for the container's "match limits" toggle
     * @param onApplied told when the card applied new connection settings (to keep them)
     */
    public EnvironmentCardViewModel(String id, String displayName, Threads threads, Notifications notifications, Supplier<Environment> factory,
                                    Supplier<ServerArtifact> artifact, Connection connection, String vmLimits, Consumer<Connection> onApplied) {
        this.id = id;
        this.displayName.set(displayName);
        this.threads = threads;
        this.notifications = notifications;
        this.factory = factory;
        this.artifact = artifact;
        this.connection = connection;
        this.onApplied = onApplied;
        this.form = new ConnectionForm(connection, vmLimits);
        state.addListener((o, was, now) -> {
            light.set(now.light());
            statusText.set(now.status());
            message.set(now.message());
        });
    }

    public String id() {
        return id;
    }

    /** The environment's own name ({@link Environment#displayName()}), as its settings make it: the one name it has everywhere. */
    public String displayName() {
        return displayName.get();
    }

    public StringProperty displayNameProperty() {
        return displayName;
    }

    /** Whether the card offers Boot and Halt: its environment runs on a machine of its own. */
    public boolean isVm() {
        return EnvironmentKind.has(id, EnvironmentKind.Capability.MACHINE);
    }

    public StringProperty caveatProperty() {
        return caveat;
    }

    /** The form of this card's connection settings, for the view to bind. */
    public ConnectionForm form() {
        return form;
    }

    /**
     * Applies the form: what is wrong is said in one banner and nothing changes; otherwise, if the settings changed,
     * they are kept and this card (and only this card) starts again with a new environment.
     */
    public boolean applySettings() {
        ConnectionForm.Parsed parsed = form.parse();
        if (!parsed.ok()) {
            notifications.post(new Banner(Banner.Level.ERROR, displayName() + ": settings not applied",
                    capitalize(String.join("; ", parsed.problems())) + ". The settings in use are unchanged."));
            return false;
        }
        if (parsed.connection().equals(connection)) {
            return true;
        }
        connection = parsed.connection();
        onApplied.accept(connection);
        reset();
        return true;
    }

    /** The environment, made on first use (making the VM's may run jlink once): call from the io executor. */
    public synchronized Environment environment() {
        if (environment == null) {
            environment = factory.get();
            Environment e = environment;
            threads.ui().execute(() -> endpoint.set(e.endpoint().toString()));
        }
        return environment;
    }

    /**
     * Names the build the card would deploy, so that its status says whether what exists is of this build, also when
     * another process made it. The server's jar is read each time: it may have been rebuilt since. Not built: the card
     * says so when it deploys.
     */
    private void expectTheBuild(Environment env) {
        try {
            env.expect(artifact.get());
        } catch (RuntimeException notBuilt) {
            // the status says what exists; a deploy says what is missing
        }
    }

    /** Settings changed: the next use makes a new environment. */
    public void reset() {
        threads.io().submit(() -> {
            stopLive();
            synchronized (this) {
                if (environment != null) {
                    environment.close();
                    environment = null;
                }
            }
            refresh();
        });
    }

    /** Checks the status; the future completes with what the card then shows. */
    public CompletableFuture<CardState> refresh() {
        return run("checking…", env -> { });
    }

    public void deploy() {
        run("deploying…", env -> env.deploy(artifact.get()));
    }

    public void start() {
        run("starting…", env -> {
            env.deploy(artifact.get());
            StartTiming t = env.start();
            note(t);
        });
    }

    public void restart() {
        run("restarting…", env -> note(env.restart()));
    }

    public void stop() {
        run("stopping…", env -> {
            stopLive();
            env.stop();
        });
    }

    /** VM only: vagrant up (minutes under emulation); the server, if installed, starts with it. */
    public void bootVm() {
        run("booting the VM…", env -> {
            if (env instanceof MachineControl machine) {
                long start = System.nanoTime();
                machine.bootMachine(line -> state(new CardState(Light.BUSY, "booting the VM…", line)));
                double seconds = (System.nanoTime() - start) / 1e9;
                note(String.format(Locale.ROOT, "The VM is up (vagrant up took %.0f s).", seconds));
            }
        });
    }

    /** VM only: vagrant halt. */
    public void haltVm() {
        run("halting the VM…", env -> {
            stopLive();
            if (env instanceof MachineControl machine) {
                machine.haltMachine();
            }
        });
    }

    /** The endpoint to open in the browser. */
    public URI endpointUri() {
        return URI.create(endpoint.get().isBlank() ? "http://127.0.0.1/" : endpoint.get());
    }

    private void note(StartTiming t) {
        note(String.format(Locale.ROOT, "%s to the first 200 in %s", capitalize(t.kind()), Fmt.millis(t.totalMillis())));
    }

    private void note(String text) {
        note = text;
    }

    private interface Action {
        void apply(Environment env) throws Exception;
    }

    private CompletableFuture<CardState> run(String doing, Action action) {
        CompletableFuture<CardState> done = new CompletableFuture<>();
        threads.ui().execute(() -> busy.set(true));
        state(new CardState(Light.BUSY, doing, ""));
        threads.io().submit(() -> {
            try {
                note = "";
                Environment env = environment();
                expectTheBuild(env);
                action.apply(env);
                done.complete(show(env.status()));
            } catch (Exception e) {
                // The card that failed says so, in words that say what to do; a card's own action needs no banner too.
                CardState failed = new CardState(Light.FAILED, "failed", capitalize(UserMessages.describe(e)));
                state(failed);
                done.complete(failed);
            } finally {
                threads.ui().execute(() -> busy.set(false));
            }
        });
        return done;
    }

    /** Shows a status (from any thread), and starts or stops the live readouts to match; returns what it shows. */
    public CardState show(EnvironmentStatus status) {
        Light l = switch (status) {
            case EnvironmentStatus.Absent a -> Light.ABSENT;
            case EnvironmentStatus.MachineOff m -> Light.ABSENT;
            case EnvironmentStatus.Occupied o -> Light.FAILED;
            case EnvironmentStatus.Deployed d -> Light.STOPPED;
            case EnvironmentStatus.OtherBuild o -> Light.STOPPED;
            case EnvironmentStatus.Stopped s -> Light.STOPPED;
            case EnvironmentStatus.Starting s -> Light.STARTING;
            case EnvironmentStatus.Ready r -> Light.READY;
            case EnvironmentStatus.Failed f -> Light.FAILED;
        };
        String text = !note.isEmpty() && l != Light.FAILED ? note : status.message();
        CardState shown = new CardState(l, status.label(), text, status.actions(isVm()));
        state(shown);
        if (l != Light.READY) {
            threads.ui().execute(() -> {
                cpu.set(Fmt.NONE);
                memory.set(Fmt.NONE);
            });
            stopLive();
        } else {
            startLive();
        }
        return shown;
    }

    private void state(CardState s) {
        threads.ui().execute(() -> state.set(s));
    }

    /** Live readouts while the server is ready and no run is sampling it. */
    private synchronized void startLive() {
        if (live != null && !live.isClosed()) {
            return;
        }
        try {
            SampleStream stream = environment().openSampler(Duration.ofSeconds(2));
            live = stream;
            Thread.ofVirtual().name("card-" + id).start(() -> {
                try {
                    while (!stream.isClosed()) {
                        stream.poll(Duration.ofSeconds(1)).ifPresent(this::reading);
                    }
                } catch (InterruptedException ignored) {
                    // closed
                }
            });
        } catch (RuntimeException e) {
            // readouts are a nicety: the status already says what is wrong
        }
    }

    public synchronized void stopLive() {
        if (live != null) {
            live.close();
            live = null;
        }
    }

    /** A CPU/memory reading, from the card's own sampler or from a run. */
    public void reading(ResourceSample s) {
        String cpuText = Fmt.percent(s.cpuPercent());
        // The baseline has no boundary: its app is all it costs. A machine of its own also costs the host its hypervisor.
        String memText = "app " + Fmt.mib(s.appMemoryBytes())
                + (EnvironmentKind.has(id, EnvironmentKind.Capability.BASELINE) ? "" : " · env " + Fmt.mib(s.environmentMemoryBytes()))
                + (EnvironmentKind.has(id, EnvironmentKind.Capability.MACHINE) && s.hostMemoryBytes() >= 0
                        ? " · host " + Fmt.mib(s.hostMemoryBytes()) : "");
        threads.ui().execute(() -> {
            cpu.set(cpuText);
            memory.set(memText);
        });
    }

    /** During a run the run drives the card: the phase, and what it is doing. */
    public void runPhase(String phase, String detail) {
        state(new CardState(Light.BUSY, phase, "In the comparison: " + detail));
    }

    /** The run could not measure this environment: the card says why, and keeps saying it after the run. */
    public void runProblem(String why) {
        state(new CardState(Light.FAILED, "failed", capitalize(why)));
    }

    /**
     * After a run: the card shows the environment's status again; one that failed in the run keeps the failure
     * (the light red, the reason) until something else is done with it.
     */
    public void afterRun(String failure) {
        threads.io().submit(() -> {
            try {
                Environment env = environment();
                expectTheBuild(env);
                CardState now = show(env.status());
                if (failure != null) {
                    state(new CardState(Light.FAILED, "failed", "Not measured in the last run: " + failure
                            + (now.light() == Light.FAILED ? "" : " (now " + now.status() + ")")));
                }
            } catch (RuntimeException e) {
                state(new CardState(Light.FAILED, "failed", capitalize(UserMessages.describe(e))));
            }
        });
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    public ReadOnlyObjectProperty<CardState> stateProperty() {
        return state;
    }

    public ReadOnlyObjectProperty<Light> lightProperty() {
        return light.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusTextProperty() {
        return statusText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty endpointProperty() {
        return endpoint;
    }

    public ReadOnlyStringProperty cpuProperty() {
        return cpu;
    }

    public ReadOnlyStringProperty memoryProperty() {
        return memory;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    /** Whether the next comparison includes this environment. */
    public BooleanProperty includedProperty() {
        return included;
    }
}
