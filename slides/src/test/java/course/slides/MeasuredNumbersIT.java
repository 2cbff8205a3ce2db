package course.slides;

import static org.assertj.core.api.Assertions.assertThat;

import course.testkit.DocNumbers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The numbers an instructor reads out from a slide or its speaker notes, and the decision guide in the course's README,
 * are the ones the experiments measured: each marked block is checked against the module's measured file (testkit
 * DocNumbers). The measured tables themselves reach the slides by include::…[tag=table], so they cannot differ.
 */
class MeasuredNumbersIT {

    static final Path COURSE = Path.of("..");

    @Test
    void everyNumberQuotedOnASlideOrInItsNotesIsTheMeasuredOne() throws IOException {
        int markers = 0;
        try (Stream<Path> decks = Files.list(Path.of("src/docs/asciidoc"))) {
            for (Path deck : decks.filter(p -> p.toString().endsWith(".adoc")).sorted().toList()) {
                markers += DocNumbers.assertNumbersMatchSources(deck, COURSE);
            }
        }
        assertThat(markers).isGreaterThan(10);
    }

    @Test
    void everyNumberInTheDecisionGuideIsTheMeasuredOne() {
        assertThat(DocNumbers.assertNumbersMatchSources(COURSE.resolve("README.md"), COURSE)).isPositive();
    }

    @Test
    void everyMeasuredSlideIncludesItsTableFromAMeasuredFile() throws IOException {
        List<String> measuredSlides = new ArrayList<>();
        try (Stream<Path> decks = Files.list(Path.of("src/docs/asciidoc"))) {
            for (Path deck : decks.filter(p -> p.toString().endsWith(".adoc")).sorted().toList()) {
                Stream.of(Files.readString(deck).split("\n(?=== )")).filter(s -> s.startsWith("== Measured:")).forEach(measuredSlides::add);
            }
        }
        assertThat(measuredSlides).isNotEmpty()
                .allSatisfy(slide -> assertThat(slide).as(slide.lines().findFirst().orElse("")).containsPattern("include::\\{m0\\d-measured\\}/\\w+\\.md\\[tag=table"));
    }
}
