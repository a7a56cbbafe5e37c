package org.gallerybench.dashboard.ui;

import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;

/** The Capacity tab: a capacity search's latency-against-throughput chart, drawn step by step; a hint until one has run. */
final class CapacityView extends StackPane {

    /** The capacity search's latency-against-throughput chart, live; a hint until one has run. */
    CapacityView(RunViewModel run) {
        Label hint = new Label("Choose the Capacity profile and run it: each environment is searched, in open-loop steps, for the highest"
                + " rate it sustains with p99 under 50 ms. Its latency against throughput is drawn here as the steps finish.");
        hint.setWrapText(true);
        hint.getStyleClass().add("muted");
        StackPane pane = this;
        getChildren().add(hint);
        ChartViewer[] viewer = {null}; // made with the first chart: a ChartViewer cannot hold none
        Runnable update = () -> {
            JFreeChart chart = run.capacityChartProperty().get();
            if (chart != null && viewer[0] == null) {
                viewer[0] = new ChartViewer(chart);
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
        run.capacityChartProperty().addListener((o, was, now) -> update.run());
        update.run();
    }

}
