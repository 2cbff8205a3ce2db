package course.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A measured table, drawn as a chart, read by its names, drawn the same every time, and checked against its PNG. */
class MeasuredChartTest {

    private static final String LATENCY = """
            <!-- tag::table[] -->
            | measure | 1 consumer per worker | 4 consumers per worker | target
            |---|---|---|---
            | submit to done p50 | 5.9 ms | **5.0 ms** | –
            | submit to done p99 | 2,306 ms | **16 ms** | ≤ 250 ms
            | submit to done max | 2.5 s | 118 ms | –
            | lost / done twice | 0 / 0 | 0 / 0 | 0 / 0
            <!-- end::table[] -->
            """;

    /** The same table after a merge: a column in front, the rows in another order, a row added. */
    private static final String LATENCY_MERGED = """
            <!-- tag::table[] -->
            | measure | from the scheduled time | 4 consumers per worker | 1 consumer per worker | target
            |---|---|---|---|---
            | lost / done twice | 0 / 0 | 0 / 0 | 0 / 0 | 0 / 0
            | submit to done p99 | – | 16 ms | 2,306 ms | ≤ 250 ms
            | submit to done p50 | – | 5.0 ms | 5.9 ms | –
            | submit to done max | – | 118 ms | 2,500 ms | –
            | submit to done p99, another way | 777 ms | 777 ms | 777 ms | –
            | scheduled to done p99 | 888 ms | 888 ms | 888 ms | –
            <!-- end::table[] -->
            """;

    @TempDir
    Path folder;

    @Test
    void aTableIsReadByItsHeaderNamesAndRowLabels() throws IOException {
        MeasuredTable table = MeasuredTable.read(write("LatencyExperiment.md", LATENCY), "table");

        assertThat(table.cell(table.row("submit to done p99"), "4 consumers")).isEqualTo("16 ms");
        assertThat(table.cell(table.row("submit to done max"), "1 consumer")).isEqualTo("2.5 s");
        assertThatThrownBy(() -> table.column("p99.9")).hasMessageContaining("has no column \"p99.9\"");
    }

    @Test
    void aCellsNumberIsTheUpperEndOfItsRangeInTheAskedUnit() {
        assertThat(MeasuredTable.number("286–408 B", "").getAsDouble()).isEqualTo(408);
        assertThat(MeasuredTable.number("25.3 s", "ms").getAsDouble()).isEqualTo(25_300);
        assertThat(MeasuredTable.number("1,348 ms", "ms").getAsDouble()).isEqualTo(1_348);
        assertThat(MeasuredTable.number("4.02x", "").getAsDouble()).isEqualTo(4.02);
        assertThat(MeasuredTable.number("–", "ms")).isEmpty();
    }

    @Test
    void aColumnAddedInFrontAndRowsMovedByAMergeDrawTheSameNumbers() throws IOException {
        Charts.Drawing drawing = Charts.latency("Submit to done", "submit to done");
        String before = MeasuredChart.data(new MeasuredChart(write("a.md", LATENCY), "table", drawing).chart());
        String after = MeasuredChart.data(new MeasuredChart(write("b.md", LATENCY_MERGED), "table", drawing).chart());

        assertThat(after).contains(before.lines().toArray(String[]::new)).doesNotContain("777", "888");
        assertThat(before).contains("target: p99 ≤ 250 ms | 250.0");
    }

    @Test
    void eachRowPrefixNamedIsASeriesOfItsOwn() throws IOException {
        Charts.Drawing drawing = Charts.latency("Submit to done", "submit to done", "scheduled to done");

        String data = MeasuredChart.data(new MeasuredChart(write("b.md", LATENCY_MERGED), "table", drawing).chart());

        assertThat(data).contains("scheduled to done, 4 consumers per worker | 1.9999999999999996 | 888.0")
                .contains("submit to done, 4 consumers per worker | 1.9999999999999996 | 16.0");
    }

    @Test
    void theSameTableDrawsTheSamePixelsAndAWrittenPngReadsBackAsDrawn() throws IOException {
        MeasuredChart chart = new MeasuredChart(write("LatencyExperiment.md", LATENCY), "table",
                Charts.latency("Submit to done", "submit to done"));
        ChartPng first = chart.render();
        first.write(chart.png());

        ChartPng again = chart.render();
        ChartPng read = ChartPng.read(chart.png());

        assertThat(again.differentPixels(first)).isZero();
        assertThat(read.differentPixels(first)).isZero();
        assertThat(read.text()).isEqualTo(first.text());
        assertThat(chart.png().getFileName()).hasToString("LatencyExperiment.png");
        chart.assertCommittedPngIsCurrent();
    }

    @Test
    void aChangedNumberFailsAndSaysHowToDrawTheChartAgain() throws IOException {
        Path markdown = write("LatencyExperiment.md", LATENCY);
        MeasuredChart chart = new MeasuredChart(markdown, "table", Charts.latency("Submit to done", "submit to done"));
        chart.render().write(chart.png());
        Files.writeString(markdown, LATENCY.replace("**16 ms**", "**17 ms**"));

        assertThatThrownBy(chart::assertCommittedPngIsCurrent)
                .hasMessageContaining("shows other numbers than LatencyExperiment.md#table")
                .hasMessageContaining("-Dcharts.write=true");
    }

    @Test
    void aTableOtherThanTheMainOneIsDrawnNextToItsFileUnderItsTagsName() {
        assertThat(MeasuredChart.of("FanOutExperiment.md#table-join-cost", Charts.latency("", "")).png())
                .isEqualTo(MeasuredChart.MEASURED.resolve("FanOutExperiment-join-cost.png"));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(folder.resolve(name), text);
    }
}
