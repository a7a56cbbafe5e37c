package org.gallerybench.dashboard.ui;

import java.util.List;
import java.util.function.Consumer;

import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Spinner;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import org.gallerybench.engine.report.Charts;
import org.gallerybench.environments.subject.Subject;
import java.io.File;
import java.net.URI;
import java.util.Locale;
import javafx.beans.property.IntegerProperty;
import javafx.geometry.Orientation;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ListCell;
import javafx.stage.DirectoryChooser;

/**
 * The window's layout: the toolbar, the banners, the environment cards ({@link CardView}) and the tabs, each a view of
 * its own ({@link ChartsView}, {@link ComparisonView}, {@link CapacityView}, {@link HistoryView}), and the
 * {@link ExportDialog}. Views lay out and bind; what they say comes from the view-models.
 */
public final class DashboardView extends StackPane {

    private final DashboardViewModel vm;
    private final ChartsView charts;
    private final VBox exportDialog;

    public DashboardView(DashboardViewModel vm, Consumer<URI> browser) {
        this.vm = vm;
        this.charts = new ChartsView(vm.run().feed(), vm::emulated, vm::displayName);
        // Every chart's title names the app under test.
        vm.subjectProperty().addListener((o, was, now) -> charts.setApp(now == null ? "gallery" : now.name()));
        charts.setApp(vm.subjectProperty().get() == null ? "gallery" : vm.subjectProperty().get().name());
        setId("dashboard");
        getStyleClass().add("dashboard");

        BorderPane main = new BorderPane();
        main.setTop(new VBox(toolbar(), customFields(), banners()));
        VBox cards = new VBox(12);
        cards.setPadding(new Insets(12));
        vm.cards().forEach(c -> cards.getChildren().add(new CardView(c, vm.run().runningProperty(), browser)));
        ScrollPane left = new ScrollPane(cards);
        left.setFitToWidth(true);
        left.setPrefWidth(360);
        left.setMinWidth(320);
        left.getStyleClass().add("cards");
        main.setLeft(left);

        Tab capacityTab = new Tab("Capacity", padded(new CapacityView(vm.run())));
        TabPane tabs = new TabPane(new Tab("Live charts", padded(charts)), new Tab("Comparison", padded(new ComparisonView(vm.run()))),
                capacityTab, new Tab("History", padded(new HistoryView(vm.history()))));
        // A capacity search draws its curve step by step: show it when one starts.
        vm.run().capacityChartProperty().addListener((o, was, now) -> {
            if (now != null && vm.run().runningProperty().get()) {
                tabs.getSelectionModel().select(capacityTab);
            }
        });
        tabs.setId("tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        main.setCenter(tabs);

        exportDialog = new ExportDialog(vm.export());
        exportDialog.setVisible(false);
        getChildren().addAll(main, exportDialog);
        StackPane.setAlignment(exportDialog, Pos.CENTER);
    }

    /** Keyboard shortcuts: Ctrl+R run, Esc stop, Ctrl+E export charts, Ctrl+Shift+E export the report. */
    public void installShortcuts(Scene scene) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), vm.run()::runComparison);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), () -> {
            if (exportDialog.isVisible()) {
                exportDialog.setVisible(false);
            } else {
                vm.run().stop();
            }
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN), this::showExport);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), this::chooseSubjectFolder);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), vm.export()::exportReport);
    }

    public ChartsView charts() {
        return charts;
    }

    public void showExport() {
        exportDialog.setVisible(true);
        exportDialog.toFront();
    }

    private Node toolbar() {
        Label title = new Label("Gallery Bench");
        title.getStyleClass().add("app-title");
        Button run = new Button("Run comparison");
        run.setId("runButton");
        run.getStyleClass().add("accent");
        run.setTooltip(new Tooltip("Deploy, time restarts, load and sample every ticked environment (Ctrl+R)"));
        run.disableProperty().bind(vm.run().runningProperty());
        run.setOnAction(e -> vm.run().runComparison());
        Button stop = new Button("Stop");
        stop.setId("stopButton");
        stop.getStyleClass().add("danger");
        stop.setTooltip(new Tooltip("Stop the run and clean up (Esc)"));
        stop.disableProperty().bind(vm.run().runningProperty().not());
        stop.setOnAction(e -> vm.run().stop());

        ChoiceBox<RunViewModel.Profile> profile = new ChoiceBox<>();
        profile.setId("profileChoice");
        profile.getItems().setAll(RunViewModel.Profile.values());
        profile.valueProperty().bindBidirectional(vm.run().profileProperty());
        profile.setConverter(new StringConverter<>() {
            @Override
            public String toString(RunViewModel.Profile p) {
                return p == null ? "" : switch (p) {
                    case QUICK -> "Quick";
                    case STANDARD -> "Standard";
                    case CUSTOM -> "Custom";
                    case CAPACITY -> "Capacity (p99 < 50 ms search)";
                };
            }

            @Override
            public RunViewModel.Profile fromString(String s) {
                return null;
            }
        });
        profile.disableProperty().bind(vm.run().runningProperty());
        ComboBox<Subject> app = subjectPicker();
        Button own = new Button("Your app…");
        own.setId("subjectFolderButton");
        own.setTooltip(new Tooltip("Measure an app of your own: choose its folder, with its subject.toml (Ctrl+O)"));
        own.disableProperty().bind(vm.run().runningProperty());
        own.setOnAction(e -> chooseSubjectFolder());
        // How long the chosen profile will take for the ticked environments, learned from this machine's earlier runs.
        Label estimate = new Label();
        estimate.setId("estimateLabel");
        estimate.getStyleClass().add("estimate");
        estimate.textProperty().bind(vm.run().estimateShortProperty());
        Tooltip estimateTip = new Tooltip();
        estimateTip.textProperty().bind(vm.run().estimateProperty());
        estimate.setTooltip(estimateTip);
        estimate.visibleProperty().bind(vm.run().runningProperty().not());
        estimate.managedProperty().bind(estimate.visibleProperty());

        ProgressBar progress = new ProgressBar();
        progress.setId("progressBar");
        progress.progressProperty().bind(vm.run().progressProperty());
        progress.setPrefWidth(180);
        progress.setMinWidth(100);
        Label phase = new Label();
        phase.setId("phaseLabel");
        phase.getStyleClass().add("phase");
        phase.textProperty().bind(vm.run().phaseProperty());
        phase.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(phase, Priority.ALWAYS);

        MenuButton export = new MenuButton("Export");
        export.setId("exportMenu");
        MenuItem charts = new MenuItem("Charts as PNG…   Ctrl+E");
        charts.setOnAction(e -> showExport());
        MenuItem report = new MenuItem("Full report (HTML, JSON, CSV, Markdown)   Ctrl+Shift+E");
        report.setOnAction(e -> vm.export().exportReport());
        export.getItems().addAll(charts, report);

        // The buttons and the profile keep their size; the phase line gives way when the window is narrow.
        for (Region r : List.of(title, app, own, run, stop, profile, estimate, export)) {
            r.setMinWidth(Region.USE_PREF_SIZE);
        }
        Label appLabel = new Label("App");
        appLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox bar = new HBox(10, title, new Separator(Orientation.VERTICAL), appLabel, app, own,
                new Separator(Orientation.VERTICAL), run, stop, profile, estimate,
                progress, phase, export);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(10, 14, 10, 14));
        bar.getStyleClass().add("toolbar");
        return bar;
    }

    /**
     * The app under test: the gallery, the subjects that ship, or "Your app's folder…", which opens a folder chooser; a
     * folder without a good subject.toml gets a banner saying what is wrong, and the choice stays as it was.
     */
    private ComboBox<Subject> subjectPicker() {
        ComboBox<Subject> app = new ComboBox<>(vm.subjects());
        app.setId("subjectChoice");
        // Its button shows the name alone; the list, the names with their descriptions. A fixed width: the longest
        // description must not push the toolbar out of the window.
        app.setPrefWidth(170);
        app.setMaxWidth(170);
        app.setTooltip(new Tooltip("The app under test, measured the same way in every environment. Your own: a folder with a"
                + " subject.toml (see the README, \"Measure your own app\")."));
        app.setValue(vm.subjectProperty().get());
        app.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(Subject s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : s.name() + " · " + s.description());
            }
        });
        app.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(Subject s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : s.name());
            }
        });
        app.valueProperty().addListener((o, was, now) -> {
            if (now != null && now != vm.subjectProperty().get()) {
                vm.chooseSubject(now);
            }
        });
        vm.subjectProperty().addListener((o, was, now) -> app.setValue(now));
        app.disableProperty().bind(vm.run().runningProperty());
        return app;
    }

    /** Opens a folder chooser for an app of the user's own (the toolbar's "Your app…" button and Ctrl+O). */
    public void chooseSubjectFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("The folder of your app (with its subject.toml)");
        File dir = chooser.showDialog(getScene() == null ? null : getScene().getWindow());
        if (dir != null) {
            vm.chooseSubjectFolder(dir.toPath());
        }
    }

    /** Rounds until stable, for the custom profile: the CLI's --rounds auto. */
    private CheckBox untilStable() {
        CheckBox box = new CheckBox("rounds until stable");
        box.setId("customUntilStable");
        box.selectedProperty().bindBidirectional(vm.run().customUntilStableProperty());
        box.setTooltip(new Tooltip("Add rounds until requests/s and p50 are each within ±5 % (5 to 10 rounds, each a third of the"
                + " load's seconds); the warnings say which did not settle."));
        return box;
    }

    /** The custom profile's figures, on a row of their own under the toolbar while that profile is chosen. */
    private Node customFields() {
        HBox custom = new HBox(6, new Label("load s"), spinner("customSeconds", vm.run().customSecondsProperty(), 1, 3600),
                new Label("in flight"), spinner("customConcurrency", vm.run().customConcurrencyProperty(), 1, 1024),
                new Label("rate/s"), spinner("customRate", vm.run().customRateProperty(), 0, 100000),
                new Label("restarts"), spinner("customTrials", vm.run().customTrialsProperty(), 0, 50),
                new Label("warm-up s"), spinner("customWarmup", vm.run().customWarmupProperty(), 0, 600), untilStable());
        custom.setId("customFields");
        custom.setAlignment(Pos.CENTER_LEFT);
        custom.setPadding(new Insets(0, 14, 10, 14));
        custom.visibleProperty().bind(vm.run().profileProperty().isEqualTo(RunViewModel.Profile.CUSTOM));
        custom.managedProperty().bind(custom.visibleProperty());
        custom.disableProperty().bind(vm.run().runningProperty());
        return custom;
    }

    private Spinner<Integer> spinner(String id, IntegerProperty value, int min, int max) {
        Spinner<Integer> s = new Spinner<>(min, max, value.get());
        s.setId(id);
        s.setEditable(true);
        s.setPrefWidth(86);
        // Both ways: a figure set on the view-model (a saved setting, an autorun) shows in its field.
        s.valueProperty().addListener((o, a, b) -> value.set(b));
        value.addListener((o, a, b) -> {
            if (!b.equals(s.getValue())) {
                s.getValueFactory().setValue(Math.clamp(b.intValue(), min, max));
            }
        });
        return s;
    }

    private Node banners() {
        VBox box = new VBox(6);
        box.setId("banners");
        box.setPadding(new Insets(0, 14, 0, 14));
        vm.notifications().banners().addListener((ListChangeListener<Banner>) c -> {
            box.getChildren().setAll(vm.notifications().banners().stream().map(this::banner).toList());
            box.setPadding(vm.notifications().banners().isEmpty() ? new Insets(0, 14, 0, 14) : new Insets(0, 14, 10, 14));
        });
        return box;
    }

    private Node banner(Banner b) {
        Label title = new Label(b.title());
        title.getStyleClass().add("banner-title");
        Label detail = new Label(b.detail());
        detail.getStyleClass().add("banner-detail");
        detail.setWrapText(true);
        Button close = new Button("✕");
        close.getStyleClass().addAll("flat", "small");
        close.setOnAction(e -> vm.notifications().dismiss(b));
        VBox text = new VBox(2, title, detail);
        HBox.setHgrow(text, Priority.ALWAYS);
        HBox row = new HBox(10, text, close);
        row.getStyleClass().addAll("banner", "banner-" + b.level().name().toLowerCase(Locale.ROOT));
        row.setPadding(new Insets(8, 12, 8, 12));
        return row;
    }

    private static Node padded(Node n) {
        StackPane p = new StackPane(n);
        p.setPadding(new Insets(12));
        return p;
    }
}
