package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import course.testkit.DocSnippets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The walkthrough in README.md quotes the real code: each quoted block still matches its tagged region. */
class ReadmeQuotesTest {

    @Test
    void everyCodeQuoteInTheReadmeMatchesItsTaggedSource() {
        if (Files.isDirectory(Path.of("src/solution"))) {
            assertThat(DocSnippets.assertQuotesMatchSources(Path.of("README.md"))).isPositive();
            return;
        }
        // After exercises/start.sh the reference solutions are gone on purpose: their quotes (the Exercises'
        // answers) are checked wherever they are present, as in the main build; every other quote is checked here.
        List<DocSnippets.Quote> lesson = DocSnippets.quotes(Path.of("README.md")).stream()
                .filter(q -> !q.file().startsWith("src/solution/")).toList();
        assertThat(lesson).isNotEmpty().allSatisfy(quote -> assertThat(quote.text())
                .as("README.md quotes %s#%s", quote.file(), quote.tag())
                .isEqualTo(DocSnippets.tagged(Path.of(quote.file()), quote.tag())));
    }
}
