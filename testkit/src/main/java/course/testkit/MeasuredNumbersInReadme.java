package course.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A module's README quotes its measured numbers from the files that typed them once, in
 * {@code src/test/resources/measured}: a module's {@code MeasuredNumbersTest} implements this to check it.
 */
public interface MeasuredNumbersInReadme {

    @Test
    default void everyMeasuredTableIsQuotedInTheReadmeFromItsMeasuredFile() {
        List<String> quoted = DocSnippets.quotes(Path.of("README.md")).stream().map(q -> q.file() + "#" + q.tag()).toList();

        assertThat(quoted).containsAll(DocNumbers.measuredTables(Path.of("src/test/resources/measured"))).isNotEmpty();
    }

    @Test
    default void everyMeasuredNumberInTheReadmesProseMatchesItsMeasuredFile() {
        assertThat(DocNumbers.assertNumbersMatchSources(Path.of("README.md"), Path.of(""))).isPositive();
    }
}
