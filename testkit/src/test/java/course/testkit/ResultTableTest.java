package course.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResultTableTest {

    @Test
    void everyLineStartsWithABarSoAGrepOfTheLogFindsTheWholeTable() {
        String table = ResultTable.of("Fan-out, 1,000 members", "members", "p99")
                .row(10, "1.2 ms")
                .row(1000, "38 ms")
                .note("JDK 25, 2 cores")
                .render();

        assertThat(table.lines()).allMatch(line -> line.startsWith("| ") || line.startsWith("|-"));
        assertThat(table).isEqualTo("""
                | Fan-out, 1,000 members
                | members | p99    |
                |---------|--------|
                | 10      | 1.2 ms |
                | 1000    | 38 ms  |
                | JDK 25, 2 cores
                """);
    }

    @Test
    void missingTrailingCellsStayEmptyAndShortColumnsAreThreeWide() {
        assertThat(ResultTable.of("t", "a", "b").row("x").render()).isEqualTo("""
                | t
                | a   | b   |
                |-----|-----|
                | x   |     |
                """);
    }

    @Test
    void aRowWithMoreCellsThanColumnsIsRefused() {
        ResultTable table = ResultTable.of("t", "only");

        assertThatThrownBy(() -> table.row(1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row has 2 cells, the table 1 columns");
    }

    @Test
    void aTableNeedsAColumn() {
        assertThatThrownBy(() -> ResultTable.of("t")).isInstanceOf(IllegalArgumentException.class);
    }
}
