package course.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Markdown table from a tagged region of a measured file, read by its header names and row labels, never by
 * position: a column or row added by the next measurement leaves every chart drawn from it as it was.
 *
 * @param source the measured file and tag, as "FanOutExperiment.md#table", for titles and messages
 * @param headers the header cells, as written
 * @param rows the body rows' cells, as written (bold marks removed); the first cell is the row's label
 */
public record MeasuredTable(String source, List<String> headers, List<List<String>> rows) {

    private static final Pattern NUMBER = Pattern.compile("\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?");
    /** A number and the unit right after it, as the measured files write them: "25.3 s", "4.02x", "33%". */
    private static final Pattern NUMBER_WITH_UNIT = Pattern.compile("(" + NUMBER + ")\\s?(ms|µs|us|s|x|%|[A-Za-z/]+)?");

    /** The table between {@code tag::<tag>[]} and {@code end::<tag>[]} in {@code file}. */
    public static MeasuredTable read(Path file, String tag) {
        List<String> lines = DocSnippets.tagged(file, tag).lines().filter(l -> l.startsWith("|")).toList();
        if (lines.size() < 3) {
            throw new AssertionError(file + "#" + tag + " holds no Markdown table with a header and a row");
        }
        List<List<String>> body = new ArrayList<>();
        // lines.get(1) is the |---|---| line under the header
        lines.subList(2, lines.size()).forEach(l -> body.add(cells(l)));
        return new MeasuredTable(file.getFileName() + "#" + tag, cells(lines.get(0)), List.copyOf(body));
    }

    private static List<String> cells(String line) {
        String inner = line.strip().substring(1);
        if (inner.endsWith("|")) {
            inner = inner.substring(0, inner.length() - 1);
        }
        return Arrays.stream(inner.split("\\|", -1)).map(c -> c.replace("**", "").strip()).toList();
    }

    /** The index of the first column whose header starts with {@code name} ("p99" finds "p99 (target ≤ 500 ms)"). */
    public int column(String name) {
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        throw new AssertionError(source + " has no column \"" + name + "\"; its columns are " + headers);
    }

    /** The first row whose label starts with {@code label}. */
    public List<String> row(String label) {
        return rows.stream().filter(r -> r.get(0).toLowerCase(Locale.ROOT).startsWith(label.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(source + " has no row \"" + label + "\"; its rows are "
                        + rows.stream().map(r -> r.get(0)).toList()));
    }

    /** The cell in {@code row} under the column named {@code column}; empty when the row is shorter. */
    public String cell(List<String> row, String column) {
        int i = column(column);
        return i < row.size() ? row.get(i) : "";
    }

    /**
     * The largest number in a cell, in {@code unit}: the upper end of a range ("286–408 B" is 408), seconds in
     * milliseconds ("25.3 s" is 25,300 when the unit is "ms"). Empty for a cell without one ("–", "n/a", "not run").
     */
    public static OptionalDouble number(String cell, String unit) {
        Matcher m = NUMBER_WITH_UNIT.matcher(cell);
        List<Double> values = new ArrayList<>();
        String lastUnit = null;
        while (m.find()) {
            values.add(Double.parseDouble(m.group(1).replace(",", "")));
            if (m.group(2) != null) {
                lastUnit = m.group(2);
            }
        }
        if (values.isEmpty()) {
            return OptionalDouble.empty();
        }
        double scale = "ms".equals(unit) && "s".equals(lastUnit) ? 1000
                : "ms".equals(unit) && ("µs".equals(lastUnit) || "us".equals(lastUnit)) ? 0.001 : 1;
        return OptionalDouble.of(values.stream().mapToDouble(v -> v * scale).max().orElseThrow());
    }
}
