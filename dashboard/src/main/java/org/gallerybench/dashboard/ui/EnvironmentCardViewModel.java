package org.gallerybench.dashboard.ui;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.gallerybench.dashboard.report.Fmt;
import org.gallerybench.environments.Environment;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.StartTiming;
import org.gallerybench.environments.vm.VmEnvironment;

/**
 * One environment's card: its status light and text, endpoint, actions, live CPU and memory readouts, and
 * connection settings. All waiting happens on the io executor; properties change on the ui executor.
 */
public final class EnvironmentCardViewModel {
    /** The status light. */
    public enum Light { UNKNOWN, ABSENT, STOPPED, BUSY, STARTING, READY, FAILED }

    private final String id;
    private final String displayName;
    private final Threads threads;
    private final Supplier<Environment> factory;
    private final Supplier<ServerArtifact> artifact;
    private final java.util.function.Consumer<Banner> banners;
    private volatile Environment environment;
    private volatile SampleStream live;

    private final ObjectProperty<Light> light = new SimpleObjectProperty<>(Light.UNKNOWN);
    private final StringProperty statusText = new SimpleStringProperty("checking…");
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty endpoint = new SimpleStringProperty("");
    /** What the card's figures are not, e.g. a VM under emulation's warning; empty when nothing needs saying. */
    private final StringProperty caveat = new SimpleStringProperty("");
    private final StringProperty cpu = new SimpleStringProperty(Fmt.NONE);
    private final StringProperty memory = new SimpleStringProperty(Fmt.NONE);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final BooleanProperty included = new SimpleBooleanProperty(false);

    public EnvironmentCardViewModel(String id, String displayName, Threads threads, Supplier<Environment> factory,
                                    Supplier<ServerArtifact> artifact, java.util.function.Consumer<Banner> banners) {
        this.id = id;
        this.displayName = displayName;
        this.threads = threads;
        this.factory = factory;
        this.artifact = artifact;
        this.banners = banners;
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public StringProperty caveatProperty() {
        return caveat;
    }

    public boolean isVm() {
        return id.equals("vm");
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

    public void refresh() {
        run("checking…", env -> { });
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
            if (env instanceof VmEnvironment vm) {
                long start = System.nanoTime();
                vm.upMachine(line -> threads.ui().execute(() -> message.set(line)));
                double seconds = (System.nanoTime() - start) / 1e9;
                threads.ui().execute(() -> message.set(String.format(Locale.ROOT, "The VM is up (vagrant up took %.0f s).", seconds)));
            }
        });
    }

    /** VM only: vagrant halt. */
    public void haltVm() {
        run("halting the VM…", env -> {
            stopLive();
            if (env instanceof VmEnvironment vm) {
                vm.halt();
            }
        });
    }

    /** The endpoint to open in the browser. */
    public URI endpointUri() {
        return URI.create(endpoint.get().isBlank() ? "http://127.0.0.1/" : endpoint.get());
    }

    private void note(StartTiming t) {
        threads.ui().execute(() -> message.set(String.format(Locale.ROOT, "%s to the first 200 in %s", capitalize(t.kind()),
                Fmt.millis(t.totalMillis()))));
    }

    private interface Action {
        void apply(Environment env) throws Exception;
    }

    private void run(String doing, Action action) {
        threads.ui().execute(() -> {
            busy.set(true);
            light.set(Light.BUSY);
            statusText.set(doing);
        });
        threads.io().submit(() -> {
            try {
                Environment env = environment();
                action.apply(env);
                show(env.status());
            } catch (Exception e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                threads.ui().execute(() -> {
                    light.set(Light.FAILED);
                    statusText.set("failed");
                    message.set(why);
                });
                banners.accept(new Banner(Banner.Level.ERROR, displayName + ": " + doing.replace("…", "") + " failed", why));
            } finally {
                threads.ui().execute(() -> busy.set(false));
            }
        });
    }

    /** Shows a status (from any thread), and starts or stops the live readouts to match. */
    public void show(EnvironmentStatus status) {
        Light l = switch (status) {
            case EnvironmentStatus.Absent a -> Light.ABSENT;
            case EnvironmentStatus.Stopped s -> Light.STOPPED;
            case EnvironmentStatus.Starting s -> Light.STARTING;
            case EnvironmentStatus.Ready r -> Light.READY;
            case EnvironmentStatus.Failed f -> Light.FAILED;
        };
        threads.ui().execute(() -> {
            light.set(l);
            statusText.set(status.label());
            if (!(l == Light.READY && message.get().contains("first 200"))) {
                message.set(status.message());
            }
            if (l != Light.READY) {
                cpu.set(Fmt.NONE);
                memory.set(Fmt.NONE);
            }
        });
        if (l == Light.READY) {
            startLive();
        } else {
            stopLive();
        }
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
        String memText = "app " + Fmt.mib(s.appMemoryBytes()) + (id.equals("local") ? "" : " · env " + Fmt.mib(s.environmentMemoryBytes()))
                + (id.equals("vm") && s.hostMemoryBytes() >= 0 ? " · host " + Fmt.mib(s.hostMemoryBytes()) : "");
        threads.ui().execute(() -> {
            cpu.set(cpuText);
            memory.set(memText);
        });
    }

    /** During a run the run drives the card. */
    public void runPhase(String text) {
        threads.ui().execute(() -> {
            light.set(Light.BUSY);
            statusText.set(text);
        });
    }

    public void runProblem(String why) {
        threads.ui().execute(() -> {
            light.set(Light.FAILED);
            statusText.set("failed");
            message.set(why);
        });
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    public ReadOnlyObjectProperty<Light> lightProperty() {
        return light;
    }

    public ReadOnlyStringProperty statusTextProperty() {
        return statusText;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message;
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
