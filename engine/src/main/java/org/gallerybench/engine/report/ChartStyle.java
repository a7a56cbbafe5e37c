package org.gallerybench.engine.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Stroke;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleInsets;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.gallerybench.engine.setup.EnvironmentKind;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.labels.XYSeriesLabelGenerator;

/** One look for every chart, in reports and in the dashboard: one colour per environment throughout. */
public final class ChartStyle {
    public static final Color LOCAL = new Color(0x2563EB);
    public static final Color DOCKER = new Color(0x0EA5A4);
    public static final Color VM = new Color(0xEA580C);
    public static final Color GVISOR = new Color(0xDB2777);
    public static final Color OTHER = new Color(0x7C3AED);
    public static final Color GRID = new Color(0xE4E7EC);
    public static final Color INK = new Color(0x1D2330);
    public static final Color MUTED = new Color(0x667085);

    public static final Stroke SOLID = new BasicStroke(2.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    public static final Stroke DASHED = new BasicStroke(2.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {7f, 5f}, 0f);
    public static final Stroke DOTTED = new BasicStroke(2.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {2f, 4f}, 0f);

    private ChartStyle() {
    }

    public static Color color(String environment) {
        int colon = environment.indexOf(':');
        if (colon > 0) { // a network-path variant: its environment's colour, darker for the host network, lighter for a port
            Color base = color(environment.substring(0, colon));
            return environment.endsWith(":host") ? base.darker() : new Color(
                    Math.min(255, base.getRed() + 60), Math.min(255, base.getGreen() + 60), Math.min(255, base.getBlue() + 60));
        }
        return EnvironmentKind.of(environment).map(kind -> switch (kind) {
            case LOCAL -> LOCAL;
            case DOCKER -> DOCKER;
            case GVISOR -> GVISOR;
            case VM -> VM;
        }).orElse(OTHER);
    }

    /** Applies fonts, background, grid and axis styling. */
    public static JFreeChart apply(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            chart.getTitle().setPaint(INK);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            legend.setFrame(BlockBorder.NONE);
            legend.setBackgroundPaint(Color.WHITE);
        }
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlineVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        for (int i = 0; i < plot.getRangeAxisCount(); i++) {
            if (plot.getRangeAxis(i) != null) {
                style((NumberAxis) plot.getRangeAxis(i));
                ((NumberAxis) plot.getRangeAxis(i)).setAutoRangeIncludesZero(true); // rates, times and sizes start at zero
            }
        }
        plot.setNoDataMessage("No data yet");
        plot.setNoDataMessagePaint(MUTED);
        plot.setNoDataMessageFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        style((NumberAxis) plot.getDomainAxis());
        if (plot.getRenderer() instanceof XYLineAndShapeRenderer r) {
            r.setDefaultShapesVisible(false);
            r.setLegendItemLabelGenerator(LEGEND);
        }
        return chart;
    }

    private static void style(NumberAxis axis) {
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        axis.setLabelPaint(MUTED);
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        axis.setTickLabelPaint(MUTED);
        axis.setAxisLineVisible(false);
        axis.setTickMarksVisible(false);
        // Rates, times and sizes in plain numbers: never 5E-9, even when nothing has been drawn yet.
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        axis.setAutoRangeMinimumSize(1.0);
    }

    /** A legend entry for a series without points says so: "Docker container · no data". */
    public static final XYSeriesLabelGenerator LEGEND = (dataset, series) -> {
        String key = String.valueOf(dataset.getSeriesKey(series));
        return dataset.getItemCount(series) == 0 ? key + " · no data" : key;
    };
}
