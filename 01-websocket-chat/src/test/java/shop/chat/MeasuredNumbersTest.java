package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;

import course.testkit.DocNumbers;
import course.testkit.DocSnippets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's measured numbers are typed once, in src/test/resources/measured, and quoted from there. */
class MeasuredNumbersTest {

    static final Path MEASURED = Path.of("src/test/resources/measured");

    @Test
    void everyMeasuredTableIsQuotedInTheReadmeFromItsMeasuredFile() throws IOException {
        List<String> quoted = DocSnippets.quotes(Path.of("README.md")).stream().map(q -> q.file() + "#" + q.tag()).toList();
        try (Stream<Path> files = Files.list(MEASURED)) {
            List<String> tables = files.map(f -> MEASURED.resolve(f.getFileName()).toString().replace('\\', '/') + "#table").toList();
            assertThat(tables).isNotEmpty();
            assertThat(quoted).containsAll(tables);
        }
    }

    @Test
    void everyMeasuredNumberInTheReadmesProseMatchesItsMeasuredFile() {
        assertThat(DocNumbers.assertNumbersMatchSources(Path.of("README.md"), Path.of(""))).isPositive();
    }
}
