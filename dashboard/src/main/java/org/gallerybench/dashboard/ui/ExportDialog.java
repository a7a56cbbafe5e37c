package org.gallerybench.dashboard.ui;

import java.util.EnumSet;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import org.gallerybench.engine.report.Charts;

/** The export dialog: the charts as PNG at a size and in a folder of the user's choice, one or all, or the full report. */
final class ExportDialog extends VBox {

    ExportDialog(ExportViewModel export) {
        super(12);
        Label title = new Label("Export charts as PNG");
        title.getStyleClass().add("dialog-title");
        Spinner<Integer> width = new Spinner<>(200, 8000, export.widthProperty().get(), 100);
        width.setId("exportWidth");
        width.setEditable(true);
        width.valueProperty().addListener((o, a, b) -> export.widthProperty().set(b));
        Spinner<Integer> height = new Spinner<>(150, 8000, export.heightProperty().get(), 50);
        height.setId("exportHeight");
        height.setEditable(true);
        height.valueProperty().addListener((o, a, b) -> export.heightProperty().set(b));
        TextField dir = new TextField();
        dir.setId("exportDir");
        dir.textProperty().bindBidirectional(export.dirProperty());
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
            b.setOnAction(e -> export.exportCharts(EnumSet.of(k)));
            each.getChildren().add(b);
        }
        Button all = new Button("Export all charts");
        all.setId("exportAll");
        all.getStyleClass().add("accent");
        all.setOnAction(e -> export.exportCharts(EnumSet.allOf(Charts.Kind.class)));
        Button report = new Button("Full report");
        report.setId("exportReport");
        report.setOnAction(e -> export.exportReport());
        Button close = new Button("Close");
        close.setId("exportClose");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, all, report, spacer, close);
        VBox dialog = this;
        getChildren().addAll(title, form, new Label("One chart:"), each, buttons);
        dialog.setId("exportDialog");
        dialog.getStyleClass().add("dialog");
        dialog.setPadding(new Insets(18));
        dialog.setMaxSize(620, Region.USE_PREF_SIZE);
        close.setOnAction(e -> dialog.setVisible(false));
    }

}
