package course.testkit;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.RenderingHints;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.AbstractRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;

/**
 * One look for every measured chart: a fixed size for a slide, fonts large enough to read from the back of a room,
 * the deck's colours, and the measured file the numbers came from under the title.
 */
final class ChartStyle {

    /** The PNG's size in pixels: 16:9, a slide's shape, and sharp at a slide's full width. */
    static final int WIDTH = 1280;
    static final int HEIGHT = 720;

    // Java's logical font "SansSerif": the machine's sans-serif font, whose rendering MeasuredChart fingerprints.
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 36);
    static final Font AXIS = new Font(Font.SANS_SERIF, Font.PLAIN, 26);
    static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 24);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 24);
    static final Font SOURCE = new Font(Font.SANS_SERIF, Font.PLAIN, 20);

    /** The deck's blue and orange first, then colours that stay apart for colour-blind readers. */
    private static final Paint[] SERIES = {
            new Color(0x1f5fa8), new Color(0xe36209), new Color(0x2a9d55), new Color(0x8e44ad), new Color(0x7f7f7f)};

    private ChartStyle() {
    }

    static JFreeChart apply(JFreeChart chart, MeasuredTable table) {
        chart.setRenderingHints(hints());
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new org.jfree.chart.ui.RectangleInsets(12, 16, 12, 24));
        chart.getTitle().setFont(TITLE);
        TextTitle source = new TextTitle("numbers: " + table.source(), SOURCE);
        source.setPaint(Color.DARK_GRAY);
        source.setPosition(RectangleEdge.TOP);
        source.setHorizontalAlignment(HorizontalAlignment.CENTER);
        chart.addSubtitle(source);
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(LABEL);
            chart.getLegend().setFrame(BlockBorder.NONE);
            chart.getLegend().setPosition(RectangleEdge.BOTTOM);
            chart.getLegend().setItemLabelPadding(new org.jfree.chart.ui.RectangleInsets(2, 6, 2, 28));
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        if (plot instanceof XYPlot xy) {
            style(xy.getDomainAxis());
            style(xy.getRangeAxis());
            xy.setDomainGridlinePaint(new Color(0xdddddd));
            xy.setRangeGridlinePaint(new Color(0xcccccc));
            style((AbstractRenderer) xy.getRenderer());
        } else if (plot instanceof CategoryPlot category) {
            style(category.getDomainAxis());
            style(category.getRangeAxis());
            category.setRangeGridlinePaint(new Color(0xcccccc));
            style((AbstractRenderer) category.getRenderer());
        }
        return chart;
    }

    /** Every hint set, so no default of the machine's Java chooses how the chart is drawn. */
    static RenderingHints hints() {
        RenderingHints hints = new RenderingHints(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        hints.put(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        hints.put(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        hints.put(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        hints.put(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        return hints;
    }

    private static void style(Axis axis) {
        axis.setLabelFont(AXIS);
        axis.setTickLabelFont(TICK);
        axis.setLabelPaint(Color.BLACK);
        axis.setTickLabelPaint(Color.BLACK);
    }

    private static void style(AbstractRenderer renderer) {
        for (int i = 0; i < SERIES.length; i++) {
            if (renderer.getSeriesPaint(i) == null) {
                renderer.setSeriesPaint(i, SERIES[i]);
            }
            if (renderer.getSeriesStroke(i) == null) {
                renderer.setSeriesStroke(i, new BasicStroke(3f));
            }
        }
        renderer.setDefaultItemLabelFont(LABEL);
    }
}
