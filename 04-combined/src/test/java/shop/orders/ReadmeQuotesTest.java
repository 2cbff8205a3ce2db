package shop.orders;

import course.testkit.DocSnippets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The walkthrough (README.md) and the how-tos (docs/) quote the real code: each quote still matches its tagged region. */
class ReadmeQuotesTest {

    static List<Path> documents() throws IOException {
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            return Stream.concat(Stream.of(Path.of("README.md")), docs.filter(p -> p.toString().endsWith(".md")).sorted()).toList();
        }
    }

    @ParameterizedTest
    @MethodSource("documents")
    void everyCodeQuoteMatchesItsTaggedSource(Path document) {
        assertThat(DocSnippets.assertQuotesMatchSources(document)).isPositive();
    }
}
