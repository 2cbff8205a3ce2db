package course.testkit;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * The percentile axis of a latency chart: a tick at each measured percentile ("p50", "p99", "max") where
 * {@link Charts#latency} placed it, so the tail, where the lessons are, gets as much room as the median.
 */
final class PercentileAxis extends NumberAxis {

    private final List<Double> positions;
    private final List<String> labels;

    PercentileAxis(List<Double> positions, List<String> labels) {
        super("percentile (HdrHistogram spacing: 90%, 99%, 99.9% equally far apart)");
        this.positions = List.copyOf(positions);
        this.labels = List.copyOf(labels);
        double first = positions.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double last = positions.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        setRange(first - 0.15, last + 0.15);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
        List<NumberTick> ticks = new ArrayList<>();
        for (int i = 0; i < positions.size(); i++) {
            ticks.add(new NumberTick(positions.get(i), labels.get(i), TextAnchor.TOP_CENTER, TextAnchor.CENTER, 0));
        }
        return ticks;
    }
}
