package course.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prints an experiment's results as an aligned Markdown table in which every line starts with
 * {@code "| "}: greppable in a build log ({@code grep '^| '}) and pasteable into a README as it is.
 * The title and notes come out as single-cell rows, so the whole block stays one table.
 */
public final class ResultTable {

    private final String title;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private ResultTable(String title, List<String> header) {
        this.title = title;
        this.header = header;
    }

    /** A table with a title line and column headings; put the baseline in a column of its own. */
    public static ResultTable of(String title, String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        return new ResultTable(title, List.of(columns));
    }

    /** Adds a row; cells are printed with {@code String.valueOf}, missing trailing cells stay empty. */
    public ResultTable row(Object... cells) {
        if (cells.length > header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, the table " + header.size()
                    + " columns: " + Arrays.toString(cells));
        }
        List<String> row = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            row.add(i < cells.length ? String.valueOf(cells[i]) : "");
        }
        rows.add(row);
        return this;
    }

    /** A line under the table: conditions, the machine, what a number includes. */
    public ResultTable note(String note) {
        notes.add(note);
        return this;
    }

    /** The table as text, one {@code "| "} line per row. */
    public String render() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = Math.max(3, header.get(i).length());
        }
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("| ").append(title).append('\n');
        line(out, header, widths);
        out.append('|');
        for (int width : widths) {
            out.append('-').append("-".repeat(width)).append("-|");
        }
        out.append('\n');
        rows.forEach(row -> line(out, row, widths));
        notes.forEach(note -> out.append("| ").append(note).append('\n'));
        return out.toString();
    }

    /** Prints the table to standard output in one write, so concurrent server logging cannot split it. */
    public void print() {
        System.out.print(System.lineSeparator() + render());
        System.out.flush();
    }

    @Override
    public String toString() {
        return render();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        out.append('|');
        for (int i = 0; i < widths.length; i++) {
            out.append(' ').append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length())).append(" |");
        }
        out.append('\n');
    }
}
