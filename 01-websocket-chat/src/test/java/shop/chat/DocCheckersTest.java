package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import course.testkit.DocNumbers;
import course.testkit.DocSnippets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two checks every README relies on for measured numbers (testkit's DocSnippets and DocNumbers) catch a retyped
 * number: shown here on small documents made by the test, so a broken checker cannot pass every README silently.
 */
class DocCheckersTest {

    static final String MEASURED = """
            # Measured
            <!-- tag::table[] -->
            | run | p99
            |---|---
            | quiet | **99 ms**
            <!-- end::table[] -->
            Figures quoted elsewhere: p99 99–177 ms, 0.26–0.28 cores, 38% less CPU.
            """;

    @TempDir
    Path dir;

    @Test
    void aMarkdownTableQuotedAsMarkdownPassesWhenItEqualsItsTaggedRegion() throws IOException {
        write("m.md", MEASURED);
        Path readme = write("README.md", """
                Text.

                <!-- include: m.md#table -->
                | run | p99
                |---|---
                | quiet | **99 ms**
                <!-- end include -->
                """);

        assertThat(DocSnippets.assertQuotesMatchSources(readme, dir)).isEqualTo(1);
    }

    @Test
    void aMarkdownTableQuotedWithOneRetypedNumberFails() throws IOException {
        write("m.md", MEASURED);
        Path readme = write("README.md", """
                <!-- include: m.md#table -->
                | run | p99
                |---|---
                | quiet | **98 ms**
                <!-- end include -->
                """);

        assertThatThrownBy(() -> DocSnippets.assertQuotesMatchSources(readme, dir))
                .hasMessageContaining("quotes m.md#table differently from the source");
    }

    @Test
    void anIncludeMarkerAboveNeitherAFenceNorAClosedRegionFails() throws IOException {
        write("m.md", MEASURED);
        Path readme = write("README.md", """
                <!-- include: m.md#table -->
                | run | p99
                |---|---
                | quiet | **99 ms**
                """);

        assertThatThrownBy(() -> DocSnippets.quotes(readme)).hasMessageContaining("1 include markers but only 0");
    }

    @Test
    void numbersInProseUnderAMarkerPassWhenEachIsInTheSourceWithItsUnit() throws IOException {
        write("m.md", MEASURED);
        Path readme = write("README.md", """
                <!-- numbers: m.md -->
                p99 of 99–177 ms on 1,000 members (0.26–0.28 cores), and 38 % less CPU.

                Not checked: 12 ms.
                """);

        assertThat(DocNumbers.assertNumbersMatchSources(readme, dir)).isEqualTo(1);
    }

    @Test
    void aNumberInProseThatDiffersFromTheSourceFailsAndIsNamed() throws IOException {
        write("m.md", MEASURED);
        Path slides = write("deck.adoc", """
                // numbers: m.md
                * p99 *99–178 ms*
                """);

        assertThatThrownBy(() -> DocNumbers.assertNumbersMatchSources(slides, dir))
                .hasMessageContaining("\"178 ms\" is not in m.md")
                .hasMessageNotContaining("\"99 ms\"");
    }

    @Test
    void aRangeAListAndAPercentageAreReadAsOneNumberEach() {
        assertThat(DocNumbers.numbers("p50 6–9 ms, 9,834 / 1,614 ms, 8% and 4.02x, JDK 25, p99"))
                .containsExactly("6 ms", "9 ms", "9,834 ms", "1,614 ms", "8 %", "4.02 x");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
