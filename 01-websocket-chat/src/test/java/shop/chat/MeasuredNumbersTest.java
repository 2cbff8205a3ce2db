package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;

import course.testkit.DocNumbers;
import course.testkit.DocSnippets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's measured numbers are typed once, in src/test/resources/measured, and quoted from there. */
class MeasuredNumbersTest {

    @Test
    void everyMeasuredTableIsQuotedInTheReadmeFromItsMeasuredFile() {
        List<String> quoted = DocSnippets.quotes(Path.of("README.md")).stream().map(q -> q.file() + "#" + q.tag()).toList();

        assertThat(quoted).containsAll(DocNumbers.measuredTables(Path.of("src/test/resources/measured"))).isNotEmpty();
    }

    @Test
    void everyMeasuredNumberInTheReadmesProseMatchesItsMeasuredFile() {
        assertThat(DocNumbers.assertNumbersMatchSources(Path.of("README.md"), Path.of(""))).isPositive();
    }
}
