package shop.orders;

import course.testkit.Charts;
import course.testkit.MeasuredChart;
import course.testkit.MeasuredCharts;
import java.util.List;

/** The measured tables as charts, committed next to them: the README and the slides show each beside its table. */
class MeasuredChartsTest implements MeasuredCharts {

    @Override
    public List<MeasuredChart> charts() {
        return List.of(
                MeasuredChart.of("EndToEndLatencyExperiment.md", Charts.latency("Click to shipped, at 50 orders/s", "click to shipped")));
    }
}
