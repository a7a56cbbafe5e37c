package org.gallerybench.dashboard.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import org.gallerybench.engine.setup.AppPaths;
import org.gallerybench.engine.setup.Connection;
import org.gallerybench.engine.setup.EnvironmentCatalog;
import org.gallerybench.engine.setup.EnvironmentKind;
import org.gallerybench.engine.setup.EnvironmentSettings;
import org.gallerybench.engine.run.Fingerprint;
import org.gallerybench.engine.setup.SettingsStore;
import org.gallerybench.environments.subject.Subject;
import org.gallerybench.environments.subject.SubjectException;
import org.gallerybench.environments.subject.Subjects;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.gallerybench.environments.Environment;

/**
 * The dashboard without a window: it makes one view-model per pane (the cards, the run with its charts and table,
 * the history, the export dialog), the banners' {@link Notifications}, and keeps the settings. The views only bind
 * and lay out. Everything it needs from outside comes in {@link DashboardServices}.
 */
public final class DashboardViewModel implements AutoCloseable {
    private final DashboardServices services;
    private final Threads threads;
    private final Notifications notifications;
    private final Background background;
    private final List<EnvironmentCardViewModel> cards = new ArrayList<>();
    private final RunViewModel run;
    private final HistoryViewModel history;
    private final ExportViewModel export;
    private final boolean kvmUsable = Fingerprint.kvmUsable();
    /** The environments ticked when the settings were saved; null before the user ever chose. */
    private final List<String> savedSelection;
    private volatile EnvironmentSettings environmentSettings;
    /** The app under test: the gallery, a subject that ships, or a folder of the user's. */
    private final ObjectProperty<Subject> subject = new SimpleObjectProperty<>();
    /** The same, for the io executor's environments. */
    private volatile Subject currentSubject;
    private final ObservableList<Subject> subjects = FXCollections.observableArrayList();
    private final StringProperty title = new SimpleStringProperty();

    public DashboardViewModel(AppPaths paths, Threads threads) {
        this(DashboardServices.of(paths), threads);
    }

    public DashboardViewModel(DashboardServices services, Threads threads) {
        this.services = services;
        this.threads = threads;
        this.notifications = new Notifications(threads.ui());
        this.background = new Background(threads, notifications);
        SettingsStore.Saved saved = services.settings().load();
        this.environmentSettings = saved.environments();
        this.savedSelection = saved.selected();
        String vmLimits = environmentSettings.vmLimits();
        loadSubjects(saved.subject());
        for (String id : EnvironmentCatalog.IDS) {
            cards.add(new EnvironmentCardViewModel(id, displayName(id), threads, notifications,
                    () -> services.environments().create(id, environmentSettings, currentSubject), services.artifact(), environmentSettings.connection(EnvironmentKind.of(id).orElseThrow()), vmLimits,
                    this::applied));
        }
        this.run = new RunViewModel(threads, notifications, services, cards, this::saveSettings, this::refreshHistory, this::displayName,
                () -> currentSubject);
        this.history = new HistoryViewModel(background, notifications, services, run::open);
        this.export = new ExportViewModel(background, notifications, () -> run.resultProperty().get());
        run.profileProperty().set(parseProfile(saved.profile()));
        run.profileProperty().addListener((o, was, now) -> run.refreshEstimate());
        for (EnvironmentCardViewModel card : cards) {
            card.includedProperty().addListener((o, was, now) -> run.refreshEstimate());
        }
        export.widthProperty().set(saved.exportWidth());
        export.heightProperty().set(saved.exportHeight());
        updateCaveats();
    }

    /**
     * Checks every environment in the background, and ticks for the run each one that is ready or can be deployed
     * here (of those the user last chose, if ever); one that cannot starts unticked, its card saying why and what to
     * do. The future completes when every card has been checked.
     */
    public CompletableFuture<Void> start() {
        List<CompletableFuture<CardState>> checks = new ArrayList<>();
        for (EnvironmentCardViewModel card : cards) {
            boolean wanted = savedSelection == null ? EnvironmentCatalog.DEFAULT_SELECTION.contains(card.id())
                    : savedSelection.contains(card.id());
            checks.add(card.refresh().whenComplete((state, error) -> {
                boolean available = error == null && state.light() != EnvironmentCardViewModel.Light.FAILED;
                threads.ui().execute(() -> card.includedProperty().set(wanted && available));
            }));
        }
        refreshHistory();
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new));
    }

    /**
     * The subjects that ship (those whose manifest reads; the gallery first), and the one chosen last time, if it still
     * reads (a folder of the user's that moved falls back to the gallery, and a banner says so).
     */
    private void loadSubjects(String savedSubject) {
        List<Subject> shipped = new ArrayList<>();
        try {
            for (Subjects.Listed l : Subjects.list(services.projectRoot())) {
                if (l.subject() != null) {
                    shipped.add(l.subject());
                }
            }
        } catch (SubjectException e) {
            notifications.post(Banner.error("Cannot list the apps under test", e));
        }
        shipped.sort(Comparator.comparing((Subject s) -> !s.builtin()).thenComparing(Subject::name));
        subjects.setAll(shipped);
        Subject chosen = shipped.stream().filter(Subject::builtin).findFirst().orElse(null);
        if (savedSubject != null && !savedSubject.isBlank()) {
            try {
                chosen = Subjects.find(services.projectRoot(), savedSubject);
            } catch (SubjectException e) {
                notifications.post(Banner.error("The app under test chosen last time cannot be used; measuring the gallery", e));
            }
        }
        if (chosen != null) {
            Subject c = chosen;
            if (subjects.stream().noneMatch(s -> s.dir().equals(c.dir()))) {
                subjects.add(c);
            }
            subjects.stream().filter(s -> s.dir().equals(c.dir())).findFirst().ifPresent(this::setSubject);
        }
        if (subject.get() == null) {
            title.set(windowTitle(Subjects.DEFAULT));
        }
    }

    private void setSubject(Subject s) {
        subject.set(s);
        currentSubject = s == null || s.builtin() ? null : s;
        title.set(windowTitle(s == null ? Subjects.DEFAULT : s.name()));
    }

    static String windowTitle(String app) {
        return "Gallery Bench · " + app + " · container vs VM";
    }

    /** The apps under test to choose from: the ones that ship, and any folder the user chose. */
    public ObservableList<Subject> subjects() {
        return subjects;
    }

    /** The app under test: every card's environment, the next run, the charts' titles and the window's are about it. */
    public ReadOnlyObjectProperty<Subject> subjectProperty() {
        return subject;
    }

    /** "Gallery Bench · flask-gallery · container vs VM". */
    public ReadOnlyStringProperty titleProperty() {
        return title;
    }

    /**
     * Measures {@code s} from now on: each card makes its environment again for it (and checks what it finds), the
     * choice is saved. Not during a run.
     */
    public void chooseSubject(Subject s) {
        if (s == null || (subject.get() != null && s.dir().equals(subject.get().dir()) && s.digest().equals(subject.get().digest()))) {
            return;
        }
        if (run.runningProperty().get()) {
            notifications.post(new Banner(Banner.Level.INFO, "The app under test cannot change during a run", "Stop the run first, or choose again when it ends."));
            return;
        }
        setSubject(s);
        cards.forEach(EnvironmentCardViewModel::reset);
        threads.io().submit(this::saveSettings);
        run.refreshEstimate();
    }

    /**
     * An app of the user's own, from its folder: read and checked, and its files hashed (its build identity), on the io
     * executor, never the JavaFX thread (a folder can be large); then chosen on the ui executor. A folder without a good
     * manifest gets a banner that says what is wrong, and the choice stays as it was.
     */
    public void chooseSubjectFolder(Path dir) {
        background.run("Cannot measure the app in " + dir, () -> Subjects.find(services.projectRoot(), dir.toAbsolutePath().toString()), s -> {
            subjects.removeIf(old -> old.dir().equals(s.dir()));
            subjects.add(s);
            chooseSubject(s);
        });
    }

    /** A card applied new connection settings: keep them (the card resets itself). */
    private void applied(Connection c) {
        environmentSettings = environmentSettings.with(c);
        threads.io().submit(this::saveSettings);
        for (EnvironmentCardViewModel card : cards) {
            String name = displayName(card.id());
            threads.ui().execute(() -> card.displayNameProperty().set(name));
        }
        threads.ui().execute(this::updateCaveats);
    }

    /**
     * Whether this environment's figures come from a VM under emulation: Vagrant's VM on this machine without usable
     * KVM. The card, the live charts' legends and the reports say so.
     */
    public String displayName(String id) {
        try (Environment env = services.environments().create(id, environmentSettings, null)) {
            return env.displayName();
        } catch (RuntimeException e) {
            return id;
        }
    }

    public boolean emulated(String id) {
        return EnvironmentKind.has(id, EnvironmentKind.Capability.MACHINE) && environmentSettings.vm().usesVagrant() && !kvmUsable;
    }

    private void updateCaveats() {
        for (EnvironmentCardViewModel card : cards) {
            card.caveatProperty().set(emulated(card.id()) ? "Figures are " + Fingerprint.EMULATION_WARNING + "." : "");
        }
    }

    private void refreshHistory() {
        history.refresh();
    }

    public void saveSettings() {
        List<String> selected = cards.stream().filter(c -> c.includedProperty().get()).map(EnvironmentCardViewModel::id).toList();
        Subject app = subject.get();
        String chosen = app == null || app.builtin() ? null
                : app.dir().getParent() != null && app.dir().getParent().equals(services.projectRoot().resolve("subjects").toAbsolutePath().normalize())
                        ? app.name() : app.dir().toString();
        services.settings().save(new SettingsStore.Saved(environmentSettings, run.profileProperty().get().name().toLowerCase(Locale.ROOT),
                selected, export.widthProperty().get(), export.heightProperty().get(), chosen));
    }

    private static RunViewModel.Profile parseProfile(String s) {
        try {
            return RunViewModel.Profile.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            return RunViewModel.Profile.QUICK;
        }
    }

    public List<EnvironmentCardViewModel> cards() {
        return cards;
    }

    public EnvironmentCardViewModel card(String id) {
        return cards.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    public RunViewModel run() {
        return run;
    }

    public HistoryViewModel history() {
        return history;
    }

    public ExportViewModel export() {
        return export;
    }

    public Notifications notifications() {
        return notifications;
    }

    public EnvironmentSettings environmentSettings() {
        return environmentSettings;
    }

    @Override
    public void close() {
        run.close();
        saveSettings();
        for (EnvironmentCardViewModel c : cards) {
            c.stopLive();
        }
        // Work already queued (a settings save after a card applied its own) finishes before the window is gone.
        threads.io().shutdown();
        try {
            threads.io().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
