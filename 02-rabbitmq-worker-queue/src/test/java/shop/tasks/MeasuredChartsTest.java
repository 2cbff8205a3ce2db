package shop.tasks;

import course.testkit.Charts;
import course.testkit.MeasuredChart;
import course.testkit.MeasuredCharts;
import java.util.List;

/** The measured tables as charts, committed next to them: the README and the slides show each beside its table. */
class MeasuredChartsTest implements MeasuredCharts {

    @Override
    public List<MeasuredChart> charts() {
        return List.of(
                MeasuredChart.of("LatencyExperiment.md", Charts.latency("Submit to done, at a fixed 200 tasks/s", "submit to done")),
                MeasuredChart.of("ScalingExperiment.md", Charts.scaling("Add workers, go faster (50 ms of work per task)", "workers", "speedup", "worker")),
                MeasuredChart.of("ThroughputExperiment.md", Charts.barsPerRow("The worker against RabbitMQ PerfTest, same run",
                        "messages drained per second", "worker tasks/s", "PerfTest msg/s")),
                MeasuredChart.of("ConfirmSessionAgeExperiment.md", Charts.barsPerRow("A publisher session's age: confirmed messages per second",
                        "messages confirmed per second", "one session, msg/s", "a new session every 10,000, msg/s")),
                MeasuredChart.of("WorkerCostExperiment.md", Charts.barsPerRow("Where a worker's time goes: one cost added per row",
                        "tasks drained per second", "prefetch 1: tasks/s", "prefetch 100: tasks/s")));
    }
}
