package course.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps the measured numbers quoted in running prose equal to the measured file that holds them.
 *
 * <p>A paragraph, list or table that quotes measured numbers names its sources on the line above it:
 * <pre>
 * &lt;!-- numbers: 02-rabbitmq-worker-queue/src/test/resources/measured/ThroughputExperiment.md --&gt;   (Markdown)
 * // numbers: 03-routing/src/test/resources/measured/RoutingCostExperiment.md                          (AsciiDoc)
 * </pre>
 * Several sources are separated by spaces. Every number with a unit in the block below the marker (up to the next blank
 * line) must then appear, with the same unit, in one of those files: "p99 99–177 ms" needs "99 ms" and "177 ms" there.
 * A number without a unit ("1,000 members", "JDK 25") is not checked: it names a setting, not a measurement.
 */
public final class DocNumbers {

    private static final Pattern MARKER = Pattern.compile("^\\s*(?:<!-- numbers: (.+?) -->|// numbers: (.+))\\s*$");
    private static final String NUMBER = "\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?";
    private static final String UNIT =
            "msg/s|messages/s|tasks/s|ticks/s|orders/s|deliveries/s|ms|KiB|GiB|KB|MB|GB|B|s|cores|%|x";
    /** One number, or a range or list of numbers sharing the unit after the last one: "6–9 ms", "9,834 / 1,614 ms". */
    private static final Pattern GROUP = Pattern.compile(
            "(?<![\\w.,/])((?:" + NUMBER + ")(?:\\s?[–/·-]\\s?(?:" + NUMBER + "))*)\\s?(" + UNIT + ")(?![\\w/])");
    private static final Pattern ONE = Pattern.compile(NUMBER);
    private static final Pattern TABLE_TAG = Pattern.compile("tag::(table[\\w-]*)\\[\\]");

    private DocNumbers() {
    }

    /**
     * Asserts that every number with a unit under each {@code numbers:} marker in {@code document} appears in the marker's
     * sources (paths relative to {@code base}), and returns how many markers there are, so the caller can insist on some.
     */
    public static int assertNumbersMatchSources(Path document, Path base) {
        List<String> lines = read(document).lines().toList();
        List<String> problems = new ArrayList<>();
        int markers = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher marker = MARKER.matcher(lines.get(i));
            if (!marker.matches()) {
                continue;
            }
            markers++;
            String names = marker.group(1) != null ? marker.group(1) : marker.group(2);
            Set<String> known = new LinkedHashSet<>();
            for (String name : names.trim().split("\\s+")) {
                known.addAll(numbers(read(base.resolve(name))));
            }
            StringBuilder block = new StringBuilder();
            for (int j = i + 1; j < lines.size() && !lines.get(j).isBlank(); j++) {
                block.append(lines.get(j)).append('\n');
            }
            if (block.isEmpty()) {
                problems.add(document + ":" + (i + 1) + ": the numbers marker is not directly above a block");
            }
            for (String number : numbers(block.toString())) {
                if (!known.contains(number)) {
                    problems.add(document + ":" + (i + 1) + ": \"" + number + "\" is not in " + names.trim());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("measured numbers that differ from their source:\n" + String.join("\n", problems));
        }
        return markers;
    }

    /** Every number with a unit in {@code text}, one per number, normalised as "9,834 ms", "38 %", "4.02 x". */
    public static Set<String> numbers(String text) {
        Set<String> numbers = new LinkedHashSet<>();
        Matcher group = GROUP.matcher(text);
        while (group.find()) {
            Matcher one = ONE.matcher(group.group(1));
            while (one.find()) {
                numbers.add(one.group() + " " + group.group(2));
            }
        }
        return numbers;
    }

    /**
     * Every measured table in a module's measured folder, as the include markers name it ({@code
     * src/test/resources/measured/FanOutExperiment.md#table}): each region whose tag starts with "table". A module's
     * README quotes them all, so none is retyped.
     */
    public static List<String> measuredTables(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            List<String> tables = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                Matcher tag = TABLE_TAG.matcher(read(file));
                while (tag.find()) {
                    tables.add(folder.resolve(file.getFileName()).toString().replace('\\', '/') + "#" + tag.group(1));
                }
            }
            return tables;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
