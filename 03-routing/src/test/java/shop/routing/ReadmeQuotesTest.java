package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;

import course.testkit.DocSnippets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The walkthrough in README.md quotes the real code: each quoted block still matches its tagged region. */
class ReadmeQuotesTest {

    @Test
    void everyCodeQuoteInTheReadmeMatchesItsTaggedSource() {
        assertThat(DocSnippets.assertQuotesMatchSources(Path.of("README.md"))).isGreaterThan(10);
    }

    @Test
    void theTruthTableInTheReadmeHasARowForEveryRegionAndEveryEvent() {
        var rows = TruthTable.fromReadme().rows();

        assertThat(rows.stream().map(r -> r.key().split("\\.")[1]).distinct()).containsExactlyInAnyOrderElementsOf(OrderKey.REGIONS);
        assertThat(rows.stream().map(r -> r.key().split("\\.")[2]).distinct()).containsExactlyInAnyOrderElementsOf(OrderKey.EVENTS);
        assertThat(rows).allSatisfy(r -> assertThat(OrderKey.parse(r.key())).isInstanceOf(OrderKey.Valid.class));
    }
}
