package shop.chat;

import course.testkit.Charts;
import course.testkit.MeasuredChart;
import course.testkit.MeasuredCharts;
import java.util.List;

/** The measured tables as charts, committed next to them: the README and the slides show each beside its table. */
class MeasuredChartsTest implements MeasuredCharts {

    @Override
    public List<MeasuredChart> charts() {
        return List.of(
                MeasuredChart.of("FanOutExperiment.md", Charts.latency("One room, 10 broadcasts/s, by members in the room", "")),
                MeasuredChart.of("WireCostExperiment.md", Charts.barsPerColumn("Bytes per chat message: push against polling",
                        "bytes per chat message, both directions (B)", "bytes on the wire", "of which the message's JSON")));
    }
}
