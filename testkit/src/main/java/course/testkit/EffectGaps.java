package course.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The failover time the cluster labs print: the longest gap between two effects, each effect a file whose modification
 * time says when it was written (02's outbox, 04's shipments).
 */
public final class EffectGaps {

    private EffectGaps() {
    }

    /** The longest gap, in milliseconds, between the modification times of the files in {@code folder} that {@code counted} accepts. */
    public static long longestGapMs(Path folder, Predicate<Path> counted) throws IOException {
        List<Long> times;
        try (Stream<Path> files = Files.list(folder)) {
            times = files.filter(counted).map(EffectGaps::modified).sorted().toList();
        }
        long longest = 0;
        for (int i = 1; i < times.size(); i++) {
            longest = Math.max(longest, times.get(i) - times.get(i - 1));
        }
        return longest;
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
