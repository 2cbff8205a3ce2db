package shop.orders;

import static org.assertj.core.api.Assertions.assertThat;

import course.testkit.DocNumbers;
import course.testkit.DocSnippets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The measured numbers in README.md and docs/ are typed once, in src/test/resources/measured, and quoted from there. */
class MeasuredNumbersTest {

    static List<Path> documents() throws IOException {
        return ReadmeQuotesTest.documents();
    }

    @Test
    void everyMeasuredTableIsQuotedInTheReadmeOrDocsFromItsMeasuredFile() throws IOException {
        List<String> quoted = documents().stream().flatMap(d -> DocSnippets.quotes(d).stream())
                .map(q -> q.file() + "#" + q.tag()).toList();

        assertThat(quoted).containsAll(DocNumbers.measuredTables(Path.of("src/test/resources/measured"))).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("documents")
    void everyMeasuredNumberInTheProseMatchesItsMeasuredFile(Path document) {
        assertThat(DocNumbers.assertNumbersMatchSources(document, Path.of(""))).isNotNegative();
    }

    @Test
    void theSizingOnPaperQuotesEachInputFromTheMeasuredFileItNames() {
        // Sizing.md's inputs come from 01, 02 and 04's measured files: its numbers marker names them, from this folder.
        assertThat(DocNumbers.assertNumbersMatchSources(Path.of("src/test/resources/measured/Sizing.md"), Path.of("")))
                .isPositive();
    }

    @Test
    void theReadmeAndTheExperimentPageQuoteTheirNumbersFromTheMeasuredFiles() {
        assertThat(DocNumbers.assertNumbersMatchSources(Path.of("README.md"), Path.of(""))).isPositive();
        assertThat(DocNumbers.assertNumbersMatchSources(Path.of("docs/experiment.md"), Path.of(""))).isPositive();
    }
}
