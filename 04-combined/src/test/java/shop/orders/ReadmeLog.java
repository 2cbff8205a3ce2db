package shop.orders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** A log block the README shows, read from the README itself, so a test asserts exactly what the learner reads. */
final class ReadmeLog {

    /** The example ids the README's log blocks use; a test puts its own order's in their place. */
    static final String ORDER = "dc4869b5-95b5-45ff-b179-a6fdefb25c1e";
    static final String CORRELATION = "9f1c2e4a-demo-0001";

    private ReadmeLog() {
    }

    /** The lines of the first fenced block after the paragraph that starts with {@code intro}. */
    static List<String> block(String intro) {
        try {
            String readme = Files.readString(Path.of("README.md"));
            int at = readme.indexOf(intro);
            if (at < 0) {
                throw new AssertionError("README.md has no paragraph starting with: " + intro);
            }
            int open = readme.indexOf("```\n", at) + 4;
            int close = readme.indexOf("```", open);
            return Arrays.stream(readme.substring(open, close).split("\n")).filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
