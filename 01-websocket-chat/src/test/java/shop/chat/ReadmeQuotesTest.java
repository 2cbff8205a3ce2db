package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;

import course.testkit.DocSnippets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The walkthrough in README.md quotes the real code: each quoted block still matches its tagged region. */
class ReadmeQuotesTest {

    @Test
    void everyCodeQuoteInTheReadmeMatchesItsTaggedSource() {
        assertThat(DocSnippets.assertQuotesMatchSources(Path.of("README.md"))).isPositive();
    }
}
