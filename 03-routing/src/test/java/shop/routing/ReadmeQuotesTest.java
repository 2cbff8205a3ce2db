package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;

import course.testkit.DocSnippets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The walkthrough in README.md quotes the real code: each quoted block still matches its tagged region. */
class ReadmeQuotesTest {

    @Test
    void everyCodeQuoteInTheReadmeMatchesItsTaggedSource() {
        var quotes = DocSnippets.quotes(Path.of("README.md"));

        assertThat(quotes).hasSizeGreaterThan(10);
        assertThat(quotes).allSatisfy(quote -> assertThat(quote.text())
                .as("README quote of %s#%s", quote.file(), quote.tag())
                .isEqualTo(DocSnippets.tagged(Path.of(quote.file()), quote.tag())));
    }

    @Test
    void theTruthTableInTheReadmeHasARowForEveryRegionAndEveryEvent() {
        var rows = TruthTable.fromReadme().rows();

        assertThat(rows.stream().map(r -> r.key().split("\\.")[1]).distinct()).containsExactlyInAnyOrderElementsOf(OrderKey.REGIONS);
        assertThat(rows.stream().map(r -> r.key().split("\\.")[2]).distinct()).containsExactlyInAnyOrderElementsOf(OrderKey.EVENTS);
        assertThat(rows).allSatisfy(r -> assertThat(OrderKey.parse(r.key())).isInstanceOf(OrderKey.Valid.class));
    }
}
