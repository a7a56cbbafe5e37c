package org.gallerybench.dashboard.ui;

import java.util.List;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import org.gallerybench.engine.report.ComparisonTable;
import org.gallerybench.engine.report.OverheadTable;
import java.awt.Color;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.Tooltip;
import javafx.scene.shape.Circle;
import org.gallerybench.engine.report.ChartStyle;

/**
 * The Comparison tab: the comparison table (medians, ratios with their intervals, the best side marked) and the
 * overhead table under it, with the machine the run measured. What each cell says is the run's view-model's
 * ({@link RunViewModel#cellText}, {@link RunViewModel#overheadCellText}); this view lays them out.
 */
final class ComparisonView extends VBox {
    private final RunViewModel run;

    ComparisonView(RunViewModel run) {
        super(8);
        this.run = run;
        TableView<ComparisonTable.Row> table = new TableView<>(run.tableRows());
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
            List<String> headers = List.copyOf(run.tableHeaders());
            for (int i = 0; i < headers.size(); i++) {
                int column = i;
                TableColumn<ComparisonTable.Row, ComparisonTable.Cell> c = new TableColumn<>(headers.get(i));
                var shown = run.resultProperty().get();
                if (shown != null && i < shown.environments().size()) {
                    // The environment's colour, as on its card and in the charts.
                    Color awt = ChartStyle.color(shown.environments().get(i).environment());
                    c.setGraphic(new Circle(5, javafx.scene.paint.Color.rgb(awt.getRed(), awt.getGreen(), awt.getBlue())));
                }
                c.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(r.getValue().cells().get(column)));
                c.setCellFactory(col -> new TableCell<>() {
                    @Override
                    protected void updateItem(ComparisonTable.Cell cell, boolean empty) {
                        super.updateItem(cell, empty);
                        getStyleClass().removeAll("best", "noisy");
                        if (empty || cell == null) {
                            setText(null);
                            setTooltip(null);
                            return;
                        }
                        setText(RunViewModel.cellText(cell));
                        if (cell.best()) {
                            getStyleClass().add("best");
                        }
                        // A figure whose rounds are not to be trusted as they are: marked, and its tooltip says why.
                        String why = RunViewModel.cellTooltip(cell);
                        setTooltip(why == null ? null : new Tooltip(why));
                        if (why != null) {
                            getStyleClass().add("noisy");
                        }
                    }
                });
                c.setPrefWidth(220);
                table.getColumns().add(c);
            }
        };
        run.tableHeaders().addListener((ListChangeListener<String>) c -> rebuild.run());
        rebuild.run();
        Label note = new Label("Figures are medians over rounds; ratios are against the first environment, each with its interval from"
                + " the rounds in brackets and the level it really has (3 rounds a side: 90 %; none with fewer than 3; hover a cell for the"
                + " figure's own). ✓ marks a side better than every other, its intervals (90 % or more) excluding 1. CV: the spread of the rounds; ⚠: rounds not to be trusted as they are (hover for why). App memory is the server's RSS everywhere; environment memory is what each environment is as a whole.");
        note.setWrapText(true);
        note.getStyleClass().add("muted");
        Label machine = new Label();
        machine.textProperty().bind(run.machineProperty());
        machine.setWrapText(true);
        machine.getStyleClass().add("muted");
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(table, note, overheadTable(), machine);
    }

    /** What each environment costs against the baseline: a row per environment, a ratio with its interval per cell. */
    private Node overheadTable() {
        TableView<OverheadTable.Row> table = new TableView<>(run.overheadRows());
        table.setId("overheadTable");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setFixedCellSize(60);
        // Tall enough for the rows it has: a header and up to six environments.
        table.prefHeightProperty().bind(Bindings.size(run.overheadRows()).multiply(60).add(48));
        table.setMinHeight(Region.USE_PREF_SIZE);
        Runnable rebuild = () -> {
            table.getColumns().clear();
            if (run.overheadColumns().isEmpty()) {
                return;
            }
            TableColumn<OverheadTable.Row, String> env = new TableColumn<>("Environment");
            env.setCellValueFactory(r -> new ReadOnlyStringWrapper(RunViewModel.overheadRowText(r.getValue())));
            env.setPrefWidth(210);
            env.setMinWidth(180); // the environment's name and path, not cut to "Local process ..."

            table.getColumns().add(env);
            List<OverheadTable.Column> columns = List.copyOf(run.overheadColumns());
            for (int i = 0; i < columns.size(); i++) {
                int column = i;
                TableColumn<OverheadTable.Row, String> c = new TableColumn<>(columns.get(i).shortHeading());
                Label heading = new Label(columns.get(i).shortHeading());
                heading.setTooltip(new Tooltip(columns.get(i).heading() + ": the ratio to the baseline with its interval and its level,"
                        + " then the figure"));
                c.setText(null);
                c.setGraphic(heading);
                c.setCellValueFactory(r -> new ReadOnlyStringWrapper(RunViewModel.overheadCellText(r.getValue().cells().get(column))));
                c.setPrefWidth(110);
                c.setMinWidth(96);
                table.getColumns().add(c);
            }
        };
        run.overheadColumns().addListener((ListChangeListener<OverheadTable.Column>) c -> rebuild.run());
        rebuild.run();
        Label note = new Label();
        note.textProperty().bind(run.overheadNote());
        note.setWrapText(true);
        note.getStyleClass().add("muted");
        VBox box = new VBox(6, table, note);
        box.visibleProperty().bind(Bindings.isNotEmpty(run.overheadRows()));
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

}
