package course.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocNumbersTest {

    @Test
    void aNumberCountsOnlyWithAUnitAndARangeSharesTheUnitAfterItsLastNumber() {
        assertThat(DocNumbers.numbers("p99 99–177 ms with 1,000 members on JDK 25, at 9,834 msg/s and 38 %"))
                .containsExactly("99 ms", "177 ms", "9,834 msg/s", "38 %");
    }

    @Test
    void aUnitGluedToAWordIsNotAUnit() {
        assertThat(DocNumbers.numbers("3 messages, 12 seconds, v2 ms")).isEmpty();
    }

    @Test
    void aQuotedNumberMustBeInTheMeasuredFileTheMarkerNames(@TempDir Path base) throws IOException {
        Files.writeString(base.resolve("measured.md"), "| p99 | 177 ms |\n| rate | 9,834 msg/s |\n");
        Path readme = base.resolve("README.md");
        Files.writeString(readme, """
                <!-- numbers: measured.md -->
                Up to 9,834 msg/s, with a p99 of 177 ms.

                Unchecked below a blank line: 5 ms.
                """);

        assertThat(DocNumbers.assertNumbersMatchSources(readme, base)).isEqualTo(1);

        Files.writeString(readme, """
                // numbers: measured.md
                Up to 9,834 msg/s, with a p99 of 180 ms.
                """);
        assertThatThrownBy(() -> DocNumbers.assertNumbersMatchSources(readme, base))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("\"180 ms\" is not in measured.md")
                .hasMessageNotContaining("9,834");
    }
}
