package course.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A module's measured tables drawn as charts: its {@code MeasuredChartsTest} implements this and lists them, one line
 * each, and every chart is checked against its table, is shown in the README, and is the only kind of PNG in the
 * measured folder.
 */
public interface MeasuredCharts {

    /** The module's charts, as {@code MeasuredChart.of("LatencyExperiment.md", Charts.latency(...))}. */
    List<MeasuredChart> charts();

    @TestFactory
    default Stream<DynamicTest> everyCommittedChartIsWhatItsMeasuredTableDraws() {
        assertThat(charts()).isNotEmpty();
        return charts().stream().map(c -> DynamicTest.dynamicTest(c.toString(), c::assertCommittedPngIsCurrent));
    }

    @Test
    default void theReadmeShowsEveryChart() throws IOException {
        String readme = Files.readString(Path.of("README.md"));

        assertThat(charts()).allSatisfy(c -> assertThat(readme).as("README.md shows " + c.png())
                .contains("](" + c.png().toString().replace('\\', '/') + ")"));
    }

    @Test
    default void everyPngInTheMeasuredFolderIsOneOfTheCharts() throws IOException {
        try (Stream<Path> files = Files.list(MeasuredChart.MEASURED)) {
            assertThat(files.filter(f -> f.toString().endsWith(".png")).map(Path::normalize))
                    .as("PNGs in " + MeasuredChart.MEASURED + " that no chart draws: remove them, or list them")
                    .containsExactlyInAnyOrderElementsOf(charts().stream().map(c -> c.png().normalize()).toList());
        }
    }
}
