package org.gallerybench.dashboard.ui;

import java.util.List;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import org.gallerybench.engine.run.MetricComparison;
import org.gallerybench.engine.history.RunHistory;
import java.util.function.Function;
import javafx.collections.FXCollections;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import org.gallerybench.engine.run.Comparisons;
import org.gallerybench.engine.run.Metric;
import org.gallerybench.engine.setup.EnvironmentCatalog;
import org.jfree.chart.fx.ChartViewer;

/**
 * The History tab: the runs kept here (open one, compare two, mark a baseline, delete), and two runs' comparison.
 * What each cell says is {@link HistoryViewModel}'s; this view lays it out and binds the actions.
 */
final class HistoryView extends VBox {

    HistoryView(HistoryViewModel history) {
        super(8);
        TableView<RunHistory.Entry> runs = new TableView<>(history.runs());
        runs.setId("historyTable");
        runs.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        runs.setPlaceholder(new Label("No runs yet."));
        runs.getColumns().add(column("Run", HistoryViewModel::runName, 190));
        runs.getColumns().add(column("Started (UTC)", HistoryViewModel::started, 130));
        runs.getColumns().add(column("Label", RunHistory.Entry::label, 90));
        runs.getColumns().add(column("Environments", RunHistory.Entry::environments, 120));
        runs.getColumns().add(column("Status", HistoryViewModel::status, 90));
        runs.getColumns().add(column("Figures", RunHistory.Entry::headline, 420));
        runs.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        Button open = new Button("Open");
        open.setId("openRun");
        open.disableProperty().bind(Bindings.size(runs.getSelectionModel().getSelectedItems()).isNotEqualTo(1));
        open.setOnAction(e -> history.openRun(runs.getSelectionModel().getSelectedItem().id()));
        Button compare = new Button("Compare two");
        compare.setId("compareRuns");
        compare.disableProperty().bind(Bindings.size(runs.getSelectionModel().getSelectedItems()).isNotEqualTo(2));
        compare.setOnAction(e -> {
            var selected = List.copyOf(runs.getSelectionModel().getSelectedItems());
            history.compare(selected.get(1).id(), selected.get(0).id());
        });
        Button baseline = new Button("Mark baseline");
        baseline.setId("markBaseline");
        baseline.disableProperty().bind(open.disableProperty());
        baseline.setOnAction(e -> history.markBaseline(runs.getSelectionModel().getSelectedItem().id()));
        Button delete = new Button("Delete");
        delete.setId("deleteRun");
        delete.getStyleClass().add("danger");
        delete.disableProperty().bind(open.disableProperty());
        delete.setOnAction(e -> {
            var entry = runs.getSelectionModel().getSelectedItem();
            var confirm = new Alert(Alert.AlertType.CONFIRMATION,
                    "Delete run " + entry.id() + " from the history? This cannot be undone.");
            confirm.setHeaderText(null);
            confirm.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> history.delete(entry.id()));
        });
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> history.refresh());
        HBox actions = new HBox(8, open, compare, baseline, delete, refresh);

        TableView<MetricComparison> comparison = new TableView<>(history.comparison());
        comparison.setId("historyComparison");
        comparison.setPlaceholder(new Label("Select two runs and press Compare two."));
        comparison.getColumns().add(columnM("Environment", HistoryViewModel::environment));
        comparison.getColumns().add(columnM("Metric", m -> m.metric().id()));
        comparison.getColumns().add(columnM("Older", HistoryViewModel::older));
        comparison.getColumns().add(columnM("Newer", HistoryViewModel::newer));
        comparison.getColumns().add(columnM("Newer / older", HistoryViewModel::change));
        comparison.getColumns().add(columnM("Better", HistoryViewModel::better));
        comparison.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        VBox.setVgrow(runs, Priority.ALWAYS);
        VBox.setVgrow(comparison, Priority.ALWAYS);
        getChildren().addAll(runs, actions, comparison, trends(history));
    }

    /** Trends: one figure of one environment across runs, with its intervals, so that a drift is seen, not guessed. */
    private static Node trends(HistoryViewModel history) {
        ChoiceBox<String> env = new ChoiceBox<>(
                FXCollections.observableArrayList(EnvironmentCatalog.IDS));
        env.setId("trendEnvironment");
        env.setValue(env.getItems().getFirst());
        ChoiceBox<Metric> metric = new ChoiceBox<>(
                FXCollections.observableArrayList(Comparisons.metrics()));
        metric.setId("trendMetric");
        metric.setValue(Metric.P99);
        Button show = new Button("Show trend");
        show.setId("showTrend");
        show.setOnAction(e -> history.trend(env.getValue(), metric.getValue()));
        Label note = new Label();
        note.setId("trendNote");
        note.textProperty().bind(history.trendNoteProperty());
        note.setWrapText(true);
        HBox controls = new HBox(8, new Label("Trends:"), env, metric, show, note);
        controls.setAlignment(Pos.CENTER_LEFT);
        ChartViewer viewer = new ChartViewer();
        viewer.setId("trendChart");
        viewer.setMinHeight(260);
        viewer.setPrefHeight(300);
        history.trendChartProperty().addListener((o, was, now) -> viewer.setChart(now));
        viewer.visibleProperty().bind(history.trendChartProperty().isNotNull());
        viewer.managedProperty().bind(viewer.visibleProperty());
        return new VBox(6, controls, viewer);
    }

    private static TableColumn<RunHistory.Entry, String> column(String title, Function<RunHistory.Entry, String> f, double width) {
        TableColumn<RunHistory.Entry, String> c = new TableColumn<>(title);
        c.setCellValueFactory(r -> new ReadOnlyStringWrapper(f.apply(r.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private static TableColumn<MetricComparison, String> columnM(String title, Function<MetricComparison, String> f) {
        TableColumn<MetricComparison, String> c = new TableColumn<>(title);
        c.setCellValueFactory(r -> new ReadOnlyStringWrapper(f.apply(r.getValue())));
        return c;
    }
}
