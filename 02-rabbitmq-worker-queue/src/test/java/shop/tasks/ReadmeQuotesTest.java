package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import course.testkit.DocSnippets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The walkthrough in README.md quotes the real code: each quoted block still matches its tagged region. */
class ReadmeQuotesTest {

    @Test
    void everyCodeQuoteInTheReadmeMatchesItsTaggedSource() {
        var quotes = DocSnippets.quotes(Path.of("README.md"));

        assertThat(quotes).isNotEmpty();
        assertThat(quotes).allSatisfy(quote -> assertThat(quote.text())
                .as("README quote of %s#%s", quote.file(), quote.tag())
                .isEqualTo(DocSnippets.tagged(Path.of(quote.file()), quote.tag())));
    }
}
