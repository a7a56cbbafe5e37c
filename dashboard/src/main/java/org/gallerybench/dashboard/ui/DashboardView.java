package org.gallerybench.dashboard.ui;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Separator;
import javafx.scene.control.Spinner;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.util.StringConverter;

import org.gallerybench.engine.bench.MetricComparison;
import org.gallerybench.engine.history.RunHistory;
import org.gallerybench.engine.report.Charts;
import org.gallerybench.engine.report.ComparisonTable;
import org.gallerybench.engine.report.OverheadTable;
import org.gallerybench.engine.report.Fmt;

/** The window's layout: toolbar, banners, environment cards, and the charts, comparison and history tabs. */
public final class DashboardView extends StackPane {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final DashboardViewModel vm;
    private final ChartsView charts;
    private final VBox exportDialog;

    public DashboardView(DashboardViewModel vm, Consumer<java.net.URI> browser) {
        this.vm = vm;
        this.charts = new ChartsView(vm.run().feed(), vm::emulated, vm::displayName);
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

        Tab capacityTab = new Tab("Capacity", padded(capacityPane()));
        TabPane tabs = new TabPane(new Tab("Live charts", padded(charts)), new Tab("Comparison", padded(comparisonTable())), capacityTab,
                new Tab("History", padded(historyPane())));
        // A capacity search draws its curve step by step: show it when one starts.
        vm.run().capacityChartProperty().addListener((o, was, now) -> {
            if (now != null && vm.run().runningProperty().get()) {
                tabs.getSelectionModel().select(capacityTab);
            }
        });
        tabs.setId("tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        main.setCenter(tabs);

        exportDialog = exportDialog();
        exportDialog.setVisible(false);
        getChildren().addAll(main, exportDialog);
        StackPane.setAlignment(exportDialog, Pos.CENTER);
    }

    /** Keyboard shortcuts: Ctrl+R run, Esc stop, Ctrl+E export charts, Ctrl+Shift+E export the report. */
    public void installShortcuts(javafx.scene.Scene scene) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), vm.run()::runComparison);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), () -> {
            if (exportDialog.isVisible()) {
                exportDialog.setVisible(false);
            } else {
                vm.run().stop();
            }
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN), this::showExport);
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
                    case QUICK -> "Quick (about a minute)";
                    case STANDARD -> "Standard (several minutes)";
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

        ProgressBar progress = new ProgressBar();
        progress.setId("progressBar");
        progress.progressProperty().bind(vm.run().progressProperty());
        progress.setPrefWidth(180);
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
        for (javafx.scene.layout.Region r : java.util.List.of(title, run, stop, profile, export)) {
            r.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        HBox bar = new HBox(10, title, new Separator(javafx.geometry.Orientation.VERTICAL), run, stop, profile, progress, phase, export);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(10, 14, 10, 14));
        bar.getStyleClass().add("toolbar");
        return bar;
    }

    /** The custom profile's figures, on a row of their own under the toolbar while that profile is chosen. */
    private Node customFields() {
        HBox custom = new HBox(6, new Label("load s"), spinner("customSeconds", vm.run().customSecondsProperty(), 1, 3600),
                new Label("in flight"), spinner("customConcurrency", vm.run().customConcurrencyProperty(), 1, 1024),
                new Label("rate/s"), spinner("customRate", vm.run().customRateProperty(), 0, 100000),
                new Label("restarts"), spinner("customTrials", vm.run().customTrialsProperty(), 0, 50),
                new Label("warm-up s"), spinner("customWarmup", vm.run().customWarmupProperty(), 0, 600));
        custom.setId("customFields");
        custom.setAlignment(Pos.CENTER_LEFT);
        custom.setPadding(new Insets(0, 14, 10, 14));
        custom.visibleProperty().bind(vm.run().profileProperty().isEqualTo(RunViewModel.Profile.CUSTOM));
        custom.managedProperty().bind(custom.visibleProperty());
        custom.disableProperty().bind(vm.run().runningProperty());
        return custom;
    }

    private Spinner<Integer> spinner(String id, javafx.beans.property.IntegerProperty value, int min, int max) {
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
        row.getStyleClass().addAll("banner", "banner-" + b.level().name().toLowerCase(java.util.Locale.ROOT));
        row.setPadding(new Insets(8, 12, 8, 12));
        return row;
    }

    private Node comparisonTable() {
        TableView<ComparisonTable.Row> table = new TableView<>(vm.run().tableRows());
        table.setId("comparisonTable");
        table.setPlaceholder(new Label("Run a comparison, or open one from the history: its figures appear here."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Runnable rebuild = () -> {
            table.getColumns().clear();
            TableColumn<ComparisonTable.Row, String> metric = new TableColumn<>("Metric");
            metric.setCellValueFactory(r -> new ReadOnlyStringWrapper(r.getValue().metric()
                    + (r.getValue().note().isBlank() ? "" : "\n" + r.getValue().note())));
            metric.setPrefWidth(260);
            table.getColumns().add(metric);
            List<String> headers = List.copyOf(vm.run().tableHeaders());
            for (int i = 0; i < headers.size(); i++) {
                int column = i;
                TableColumn<ComparisonTable.Row, ComparisonTable.Cell> c = new TableColumn<>(headers.get(i));
                var shown = vm.run().resultProperty().get();
                if (shown != null && i < shown.environments().size()) {
                    // The environment's colour, as on its card and in the charts.
                    java.awt.Color awt = org.gallerybench.engine.report.ChartStyle.color(shown.environments().get(i).environment());
                    c.setGraphic(new javafx.scene.shape.Circle(5, javafx.scene.paint.Color.rgb(awt.getRed(), awt.getGreen(), awt.getBlue())));
                }
                c.setCellValueFactory(r -> new javafx.beans.property.ReadOnlyObjectWrapper<>(r.getValue().cells().get(column)));
                c.setCellFactory(col -> new TableCell<>() {
                    @Override
                    protected void updateItem(ComparisonTable.Cell cell, boolean empty) {
                        super.updateItem(cell, empty);
                        getStyleClass().remove("best");
                        if (empty || cell == null) {
                            setText(null);
                            return;
                        }
                        setText((cell.best() ? "✓ " : "") + cell.text() + (cell.ratio().isEmpty() ? "" : "   " + cell.ratio()));
                        if (cell.best()) {
                            getStyleClass().add("best");
                        }
                    }
                });
                c.setPrefWidth(220);
                table.getColumns().add(c);
            }
        };
        vm.run().tableHeaders().addListener((ListChangeListener<String>) c -> rebuild.run());
        rebuild.run();
        Label note = new Label("Figures are medians over rounds; ratios are against the first environment, with 95 % intervals from the"
                + " rounds in brackets (none with fewer than 3). ✓ marks a side better than every other, its intervals excluding 1. App memory is the server's RSS everywhere; environment memory is what each environment is as a whole.");
        note.setWrapText(true);
        note.getStyleClass().add("muted");
        Label machine = new Label();
        machine.textProperty().bind(vm.run().machineProperty());
        machine.setWrapText(true);
        machine.getStyleClass().add("muted");
        VBox.setVgrow(table, Priority.ALWAYS);
        return new VBox(8, table, note, overheadTable(), machine);
    }

    /** The capacity search's latency-against-throughput chart, live; a hint until one has run. */
    private Node capacityPane() {
        Label hint = new Label("Choose the Capacity profile and run it: each environment is searched, in open-loop steps, for the highest"
                + " rate it sustains with p99 under 50 ms. Its latency against throughput is drawn here as the steps finish.");
        hint.setWrapText(true);
        hint.getStyleClass().add("muted");
        javafx.scene.layout.StackPane pane = new javafx.scene.layout.StackPane(hint);
        org.jfree.chart.fx.ChartViewer[] viewer = {null}; // made with the first chart: a ChartViewer cannot hold none
        Runnable update = () -> {
            org.jfree.chart.JFreeChart chart = vm.run().capacityChartProperty().get();
            if (chart != null && viewer[0] == null) {
                viewer[0] = new org.jfree.chart.fx.ChartViewer(chart);
                viewer[0].setId("capacityChart");
                pane.getChildren().add(viewer[0]);
            } else if (chart != null) {
                viewer[0].setChart(chart);
            }
            if (viewer[0] != null) {
                viewer[0].setVisible(chart != null);
            }
            hint.setVisible(chart == null);
        };
        vm.run().capacityChartProperty().addListener((o, was, now) -> update.run());
        update.run();
        return pane;
    }

    /** What each environment costs against the baseline: a row per environment, a ratio with its interval per cell. */
    private Node overheadTable() {
        TableView<OverheadTable.Row> table = new TableView<>(vm.run().overheadRows());
        table.setId("overheadTable");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setFixedCellSize(60);
        // Tall enough for the rows it has: a header and up to six environments.
        table.prefHeightProperty().bind(Bindings.size(vm.run().overheadRows()).multiply(60).add(48));
        table.setMinHeight(Region.USE_PREF_SIZE);
        Runnable rebuild = () -> {
            table.getColumns().clear();
            if (vm.run().overheadColumns().isEmpty()) {
                return;
            }
            TableColumn<OverheadTable.Row, String> env = new TableColumn<>("Environment");
            env.setCellValueFactory(r -> new ReadOnlyStringWrapper(r.getValue().name() + (r.getValue().baseline() ? "  (baseline)" : "")
                    + "\n" + r.getValue().networkPath()));
            env.setPrefWidth(210);
            env.setMinWidth(180); // the environment's name and path, not cut to "Local process ..."

            table.getColumns().add(env);
            List<OverheadTable.Column> columns = List.copyOf(vm.run().overheadColumns());
            for (int i = 0; i < columns.size(); i++) {
                int column = i;
                TableColumn<OverheadTable.Row, String> c = new TableColumn<>(columns.get(i).shortHeading());
                Label heading = new Label(columns.get(i).shortHeading());
                heading.setTooltip(new javafx.scene.control.Tooltip(columns.get(i).heading() + ": the ratio to the baseline with its 95 % interval,"
                        + " then the figure"));
                c.setText(null);
                c.setGraphic(heading);
                c.setCellValueFactory(r -> {
                    OverheadTable.Cell cell = r.getValue().cells().get(column);
                    // Three short lines, so that a narrow column still shows them whole: ratio, its interval, the figure.
                    String ratio = cell.ratio();
                    int bracket = ratio.indexOf(" [");
                    return new ReadOnlyStringWrapper(ratio.isEmpty() ? cell.value()
                            : bracket < 0 ? ratio + "\n\n" + cell.value() : ratio.substring(0, bracket) + "\n" + ratio.substring(bracket + 1)
                            + "\n" + cell.value());
                });
                c.setPrefWidth(110);
                c.setMinWidth(96);
                table.getColumns().add(c);
            }
        };
        vm.run().overheadColumns().addListener((ListChangeListener<OverheadTable.Column>) c -> rebuild.run());
        rebuild.run();
        Label note = new Label();
        note.textProperty().bind(vm.run().overheadNote());
        note.setWrapText(true);
        note.getStyleClass().add("muted");
        VBox box = new VBox(6, table, note);
        box.visibleProperty().bind(Bindings.isNotEmpty(vm.run().overheadRows()));
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    private Node historyPane() {
        TableView<RunHistory.Entry> runs = new TableView<>(vm.history().runs());
        runs.setId("historyTable");
        runs.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        runs.setPlaceholder(new Label("No runs yet."));
        runs.getColumns().add(column("Run", e -> e.id() + (e.baseline() ? "  ★" : ""), 190));
        runs.getColumns().add(column("Started (UTC)", e -> WHEN.format(e.startedAt()), 130));
        runs.getColumns().add(column("Label", RunHistory.Entry::label, 90));
        runs.getColumns().add(column("Environments", RunHistory.Entry::environments, 120));
        runs.getColumns().add(column("Status", e -> e.status().name().toLowerCase(java.util.Locale.ROOT), 90));
        runs.getColumns().add(column("Figures", RunHistory.Entry::headline, 420));
        runs.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        Button open = new Button("Open");
        open.setId("openRun");
        open.disableProperty().bind(Bindings.size(runs.getSelectionModel().getSelectedItems()).isNotEqualTo(1));
        open.setOnAction(e -> vm.history().openRun(runs.getSelectionModel().getSelectedItem().id()));
        Button compare = new Button("Compare two");
        compare.setId("compareRuns");
        compare.disableProperty().bind(Bindings.size(runs.getSelectionModel().getSelectedItems()).isNotEqualTo(2));
        compare.setOnAction(e -> {
            var selected = List.copyOf(runs.getSelectionModel().getSelectedItems());
            vm.history().compare(selected.get(1).id(), selected.get(0).id());
        });
        Button baseline = new Button("Mark baseline");
        baseline.setId("markBaseline");
        baseline.disableProperty().bind(open.disableProperty());
        baseline.setOnAction(e -> vm.history().markBaseline(runs.getSelectionModel().getSelectedItem().id()));
        Button delete = new Button("Delete");
        delete.setId("deleteRun");
        delete.getStyleClass().add("danger");
        delete.disableProperty().bind(open.disableProperty());
        delete.setOnAction(e -> {
            var entry = runs.getSelectionModel().getSelectedItem();
            var confirm = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION,
                    "Delete run " + entry.id() + " from the history? This cannot be undone.");
            confirm.setHeaderText(null);
            confirm.showAndWait().filter(b -> b == javafx.scene.control.ButtonType.OK).ifPresent(b -> vm.history().delete(entry.id()));
        });
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.history().refresh());
        HBox actions = new HBox(8, open, compare, baseline, delete, refresh);

        TableView<MetricComparison> comparison = new TableView<>(vm.history().comparison());
        comparison.setId("historyComparison");
        comparison.setPlaceholder(new Label("Select two runs and press Compare two."));
        comparison.getColumns().add(columnM("Environment", m -> m.baseline().replaceFirst("@.*", "")));
        comparison.getColumns().add(columnM("Metric", MetricComparison::metric));
        comparison.getColumns().add(columnM("Older", m -> Fmt.value(m.baseValue(), m.unit())));
        comparison.getColumns().add(columnM("Newer", m -> Fmt.value(m.otherValue(), m.unit())));
        comparison.getColumns().add(columnM("Newer / older", m -> Fmt.ratio(m.ratio()) + "  [" + Fmt.ratio(m.ciLow()) + ", " + Fmt.ratio(m.ciHigh())
                + "]"));
        comparison.getColumns().add(columnM("Better", m -> m.better().equals("neither") ? "neither" : m.better().equals(m.other()) ? "newer" : "older"));
        comparison.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        VBox.setVgrow(runs, Priority.ALWAYS);
        VBox.setVgrow(comparison, Priority.ALWAYS);
        return new VBox(8, runs, actions, comparison);
    }

    private static TableColumn<RunHistory.Entry, String> column(String title, java.util.function.Function<RunHistory.Entry, String> f, double width) {
        TableColumn<RunHistory.Entry, String> c = new TableColumn<>(title);
        c.setCellValueFactory(r -> new ReadOnlyStringWrapper(f.apply(r.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private static TableColumn<MetricComparison, String> columnM(String title, java.util.function.Function<MetricComparison, String> f) {
        TableColumn<MetricComparison, String> c = new TableColumn<>(title);
        c.setCellValueFactory(r -> new ReadOnlyStringWrapper(f.apply(r.getValue())));
        return c;
    }

    private VBox exportDialog() {
        Label title = new Label("Export charts as PNG");
        title.getStyleClass().add("dialog-title");
        Spinner<Integer> width = new Spinner<>(200, 8000, vm.export().widthProperty().get(), 100);
        width.setId("exportWidth");
        width.setEditable(true);
        width.valueProperty().addListener((o, a, b) -> vm.export().widthProperty().set(b));
        Spinner<Integer> height = new Spinner<>(150, 8000, vm.export().heightProperty().get(), 50);
        height.setId("exportHeight");
        height.setEditable(true);
        height.valueProperty().addListener((o, a, b) -> vm.export().heightProperty().set(b));
        TextField dir = new TextField();
        dir.setId("exportDir");
        dir.textProperty().bindBidirectional(vm.export().dirProperty());
        dir.setPrefColumnCount(36);
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label("Width (px)"), width);
        form.addRow(1, new Label("Height (px)"), height);
        form.addRow(2, new Label("Folder"), dir);
        HBox each = new HBox(6);
        for (Charts.Kind k : Charts.Kind.values()) {
            Button b = new Button(k.title.replace(" p50 / p95 / p99", ""));
            b.setId("export-" + k.file);
            b.setOnAction(e -> vm.export().exportCharts(EnumSet.of(k)));
            each.getChildren().add(b);
        }
        Button all = new Button("Export all charts");
        all.setId("exportAll");
        all.getStyleClass().add("accent");
        all.setOnAction(e -> vm.export().exportCharts(EnumSet.allOf(Charts.Kind.class)));
        Button report = new Button("Full report");
        report.setId("exportReport");
        report.setOnAction(e -> vm.export().exportReport());
        Button close = new Button("Close");
        close.setId("exportClose");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, all, report, spacer, close);
        VBox dialog = new VBox(12, title, form, new Label("One chart:"), each, buttons);
        dialog.setId("exportDialog");
        dialog.getStyleClass().add("dialog");
        dialog.setPadding(new Insets(18));
        dialog.setMaxSize(620, Region.USE_PREF_SIZE);
        close.setOnAction(e -> dialog.setVisible(false));
        return dialog;
    }

    private static Node padded(Node n) {
        StackPane p = new StackPane(n);
        p.setPadding(new Insets(12));
        return p;
    }
}
