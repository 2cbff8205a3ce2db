package course.testkit;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * The latency axis of a latency chart: logarithmic, so 5 ms and 2.3 s both read, with ticks at 1, 2 and 5 of each
 * power of ten, labelled as round milliseconds instead of LogAxis's 2,511.886.
 */
final class LatencyAxis extends LogAxis {

    LatencyAxis() {
        super("latency (ms, logarithmic)");
        setBase(10);
        setSmallestValue(1);
        setUpperMargin(0.08);
        setLowerMargin(0.08);
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected List refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
        DecimalFormat format = new DecimalFormat("#,##0.###");
        List<NumberTick> ticks = new ArrayList<>();
        double lower = getLowerBound();
        double upper = getUpperBound();
        for (double decade = Math.pow(10, Math.floor(Math.log10(lower))); decade <= upper; decade *= 10) {
            for (int step : new int[] {1, 2, 5}) {
                double value = decade * step;
                if (value >= lower && value <= upper) {
                    ticks.add(new NumberTick(value, format.format(value), TextAnchor.CENTER_RIGHT, TextAnchor.CENTER, 0));
                }
            }
        }
        return ticks;
    }
}
