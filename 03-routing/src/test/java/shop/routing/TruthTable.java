package shop.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The routing truth table, read from README.md (between {@code <!-- truth-table:start -->} and
 * {@code <!-- truth-table:end -->}), so the table the learner reads is the table the test checks; and, the same
 * way, exercise 1's answer column, in its solution block ({@code <!-- apac-analytics-answer:start -->}).
 */
public record TruthTable(List<String> services, List<Row> rows) {

    /** One line of the table: a routing key and an amount, and the services that must receive it. */
    public record Row(String key, String amount, Set<String> receivers) {
        @Override
        public String toString() {
            return key + " amount " + amount + " -> " + (receivers.isEmpty() ? "nobody" : String.join(", ", receivers));
        }
    }

    /** The lesson's table: the shop's services without the exercises' solutions. */
    public static TruthTable fromReadme() {
        return fromReadme("truth-table");
    }

    /** Exercise 1's answer: the same rows, and the new service's column. */
    public static TruthTable exerciseOneAnswer() {
        return fromReadme("apac-analytics-answer");
    }

    private static TruthTable fromReadme(String block) {
        String readme;
        try {
            readme = Files.readString(Path.of("README.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = readme.indexOf("<!-- " + block + ":start -->");
        int end = readme.indexOf("<!-- " + block + ":end -->");
        if (start < 0 || end < start) {
            throw new AssertionError("README.md has no <!-- " + block + ":start --> ... <!-- " + block + ":end --> block");
        }
        List<String> lines = readme.substring(start, end).lines().filter(l -> l.startsWith("|")).toList();
        List<String> header = cells(lines.get(0));
        List<String> services = header.subList(2, header.size());
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            List<String> cells = cells(line);
            Set<String> receivers = new LinkedHashSet<>();
            for (int i = 0; i < services.size(); i++) {
                String cell = i + 2 < cells.size() ? cells.get(i + 2) : "";
                if (cell.equals("✓")) {
                    receivers.add(services.get(i));
                } else if (!cell.isEmpty()) {
                    throw new AssertionError("a truth-table cell is ✓ or empty, not '" + cell + "': " + line);
                }
            }
            rows.add(new Row(cells.get(0).replace("`", ""), cells.get(1), receivers));
        }
        return new TruthTable(services, rows);
    }

    /** The row's key and amount, which the lesson's table and an answer's table share. */
    public static String published(Row row) {
        return row.key() + " " + row.amount();
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
    }

    /** billing-1 and billing-2 are instances of billing; the truth table names services. */
    public static String serviceOf(String instance) {
        return instance.replaceFirst("-\\d+$", "");
    }
}
