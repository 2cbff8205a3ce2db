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
    void everyTableOnAMeasuredSlideIsIncludedFromItsMeasuredFileOrChecked() throws IOException {
        List<String> tables = new ArrayList<>();
        try (Stream<Path> decks = Files.list(Path.of("src/docs/asciidoc"))) {
            for (Path deck : decks.filter(p -> p.toString().endsWith(".adoc")).sorted().toList()) {
                Stream.of(Files.readString(deck).split("\n(?=== )")).filter(s -> s.startsWith("== Measured:"))
                        .forEach(slide -> tables.addAll(tables(slide)));
            }
        }
        assertThat(tables).hasSizeGreaterThan(5).allSatisfy(table -> assertThat(table)
                .as("a table on a 'Measured:' slide is included from a measured file, or a numbers marker checks it")
                .containsPattern("(?s)^// numbers: .*|.*include::\\{m0\\d-measured\\}/\\w+\\.md\\[tag=table[\\w-]*\\].*"));
    }

    /** Each table of a slide, from the line above its attributes to its closing delimiter. */
    private static List<String> tables(String slide) {
        List<String> lines = slide.lines().toList();
        List<String> tables = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals("|===")) {
                int end = lines.subList(i + 1, lines.size()).indexOf("|===") + i + 1;
                int start = Math.max(0, lines.get(i - 1).startsWith("[") ? i - 2 : i - 1);
                tables.add(String.join("\n", lines.subList(start, end + 1)));
                i = end;
            }
        }
        return tables;
    }
}
