package course.testkit;

import java.awt.BasicStroke;
import java.awt.Color;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The kinds of chart the measured tables are drawn as: latency by percentile, scaling against the ideal line, and
 * bars. Each reads its table by header names and row labels ({@link MeasuredTable}), never by position.
 */
public final class Charts {

    /** "p99", "p99.9" or "max", at the start of a header or after a row's prefix. */
    private static final Pattern PERCENTILE = Pattern.compile("(?i)^(?:p(\\d+(?:\\.\\d+)?)|max)\\b");

    /** A row label's rest after its prefix that is a percentile and nothing else: "p99.9", "max". */
    private static final Pattern ONLY_PERCENTILE = Pattern.compile("(?i)p\\d+(?:\\.\\d+)?|max");

    /** A latency target, as the tables write it: "≤ 250 ms", "target ≤ 500 ms". */
    private static final Pattern TARGET = Pattern.compile("≤ ?[\\d,.]+ ?(?:ms|s)\\b");

    private Charts() {
    }

    /** Draws a chart from a measured table. */
    @FunctionalInterface
    public interface Drawing {

        JFreeChart draw(MeasuredTable table);
    }

    /**
     * Latency by percentile, one line per series, on a percentile axis spaced as HdrHistogram plots it (50%, 90%, 99%,
     * 99.9% equally far apart) with the maximum last, and a logarithmic latency axis in milliseconds.
     *
     * <p>Where the headers are percentiles ("p50", "p99 (target ≤ 500 ms)", "max"), each row is a series. Otherwise
     * the rows that are a prefix and a percentile, nothing more ("submit to done p99"), are the points, and each
     * column but the first and "target" is a series, for each prefix ("submit to done", "scheduled to done").
     */
    public static Drawing latency(String title, String... rowPrefixes) {
        return table -> {
            XYSeriesCollection data = new XYSeriesCollection();
            List<Integer> percentileColumns = new ArrayList<>();
            for (int c = 1; c < table.headers().size(); c++) {
                if (PERCENTILE.matcher(table.headers().get(c)).find()) {
                    percentileColumns.add(c);
                }
            }
            List<Double> positions = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            List<String> targets = new ArrayList<>();
            if (percentileColumns.size() >= 2) {
                percentileColumns.forEach(c -> label(table.headers().get(c), positions, labels));
                percentileColumns.forEach(c -> target(table.headers().get(c), table.headers().get(c), targets));
                for (List<String> row : table.rows()) {
                    XYSeries series = new XYSeries(row.get(0), true);
                    for (int i = 0; i < percentileColumns.size(); i++) {
                        int c = percentileColumns.get(i);
                        OptionalDouble ms = c < row.size() ? MeasuredTable.number(row.get(c), "ms") : OptionalDouble.empty();
                        if (ms.isPresent()) {
                            series.add(positions.get(i).doubleValue(), ms.getAsDouble());
                        }
                    }
                    data.addSeries(series);
                }
            } else {
                for (String prefix : rowPrefixes) {
                    for (List<String> row : table.rows()) {
                        String rest = row.get(0).startsWith(prefix + " ") ? row.get(0).substring(prefix.length() + 1) : "";
                        if (ONLY_PERCENTILE.matcher(rest).matches() && !labels.contains(rest)) {
                            label(rest, positions, labels);
                            if (table.headers().stream().anyMatch(h -> h.toLowerCase().startsWith("target"))) {
                                target(rest, table.cell(row, "target"), targets);
                            }
                        }
                    }
                }
                for (String prefix : rowPrefixes) {
                    for (int c = 1; c < table.headers().size(); c++) {
                        String header = table.headers().get(c);
                        if (header.toLowerCase().startsWith("target")) {
                            continue;
                        }
                        XYSeries series = new XYSeries(rowPrefixes.length == 1 ? header : prefix + ", " + header, true);
                        for (List<String> row : table.rows()) {
                            String rest = row.get(0).startsWith(prefix + " ") ? row.get(0).substring(prefix.length() + 1) : "";
                            OptionalDouble ms = labels.contains(rest) && c < row.size()
                                    ? MeasuredTable.number(row.get(c), "ms") : OptionalDouble.empty();
                            if (ms.isPresent()) {
                                series.add(positions.get(labels.indexOf(rest)).doubleValue(), ms.getAsDouble());
                            }
                        }
                        data.addSeries(series);
                    }
                }
            }
            PercentileAxis x = new PercentileAxis(positions, labels);
            LatencyAxis y = new LatencyAxis();
            XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
            for (int i = 0; i < data.getSeriesCount(); i++) {
                // large points: a series measured at one percentile only is a point, not a line
                lines.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-6, -6, 12, 12));
            }
            XYPlot plot = new XYPlot(data, x, y, lines);
            for (String target : targets) {
                ValueMarker marker = new ValueMarker(MeasuredTable.number(target, "ms").orElseThrow());
                marker.setPaint(new Color(0xc0392b));
                marker.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 6}, 0));
                marker.setLabel("target: " + target);
                marker.setLabelFont(ChartStyle.LABEL);
                marker.setLabelPaint(new Color(0xc0392b));
                marker.setLabelBackgroundColor(Color.WHITE);
                marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
                marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
                plot.addRangeMarker(marker);
            }
            return ChartStyle.apply(new JFreeChart(title, ChartStyle.TITLE, plot, true), table);
        };
    }

    /** A target such as "≤ 250 ms" in {@code text}, kept as "p99 ≤ 250 ms" for the percentile it belongs to. */
    private static void target(String percentile, String text, List<String> targets) {
        Matcher target = TARGET.matcher(text);
        Matcher p = PERCENTILE.matcher(percentile);
        if (target.find() && p.find()) {
            targets.add(p.group() + " " + target.group());
        }
    }

    /**
     * Where a percentile sits on the axis: -log10(1 - p), so 90% is 1 and 99% is 2; "max" a little past the highest
     * percentile of the table, wherever its row or column is.
     */
    private static void label(String text, List<Double> positions, List<String> labels) {
        Matcher m = PERCENTILE.matcher(text);
        if (!m.find()) {
            throw new AssertionError("not a percentile: " + text);
        }
        labels.add(m.group(1) == null ? "max" : "p" + m.group(1));
        positions.add(m.group(1) == null ? Double.NaN : -StrictMath.log10(1 - Double.parseDouble(m.group(1)) / 100));
        double highest = positions.stream().filter(p -> !p.isNaN()).mapToDouble(Double::doubleValue).max().orElse(0);
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).equals("max")) {
                positions.set(i, highest + 0.6);
            }
        }
    }

    /**
     * The speedup against the count (workers, consumers), as the table writes them in {@code countColumn} and {@code
     * speedupColumn} ("4.02x"), with the ideal line under it: n of them, n times one.
     */
    public static Drawing scaling(String title, String countColumn, String speedupColumn, String countName) {
        return table -> {
            XYSeries ideal = new XYSeries("ideal: n " + countName + "s, n times one");
            XYSeries measured = new XYSeries("measured " + table.headers().get(table.column(speedupColumn)));
            double first = 0;
            for (List<String> row : table.rows()) {
                double count = MeasuredTable.number(table.cell(row, countColumn), "").orElseThrow();
                first = first == 0 ? count : first;
                ideal.add(count, count / first);
                measured.add(count, MeasuredTable.number(table.cell(row, speedupColumn), "").orElseThrow());
            }
            XYSeriesCollection data = new XYSeriesCollection();
            data.addSeries(ideal);
            data.addSeries(measured);
            NumberAxis x = new NumberAxis(table.headers().get(table.column(countColumn)));
            x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            NumberAxis y = new NumberAxis(table.headers().get(table.column(speedupColumn)) + " over one " + countName
                    + " (x)");
            y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
            // The ideal is a wide pale band drawn first, so a measured line that keeps to it still shows both.
            lines.setSeriesShapesVisible(0, false);
            lines.setSeriesStroke(0, new BasicStroke(14f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            lines.setSeriesPaint(0, new Color(0xd0d0d0));
            lines.setSeriesPaint(1, new Color(0x1f5fa8));
            lines.setSeriesShape(1, new java.awt.geom.Ellipse2D.Double(-6, -6, 12, 12));
            lines.setDefaultItemLabelGenerator((dataset, series, item) -> series == 1
                    ? table.cell(table.rows().get(item), speedupColumn) : null);
            lines.setSeriesItemLabelsVisible(1, true);
            lines.setSeriesPositiveItemLabelPosition(1,
                    new ItemLabelPosition(ItemLabelAnchor.OUTSIDE10, TextAnchor.BOTTOM_RIGHT));
            XYPlot plot = new XYPlot(data, x, y, lines);
            plot.setSeriesRenderingOrder(org.jfree.chart.plot.SeriesRenderingOrder.FORWARD);
            return ChartStyle.apply(new JFreeChart(title, ChartStyle.TITLE, plot, true), table);
        };
    }

    /**
     * One group of bars per row (a cost table: one bar per added cost), one bar in each for every named column, each
     * labelled with its cell as written. A range ("286–408 B") is drawn to its upper end.
     */
    public static Drawing barsPerRow(String title, String valueAxis, String... columns) {
        return table -> {
            DefaultCategoryDataset data = new DefaultCategoryDataset();
            for (String column : columns) {
                for (List<String> row : table.rows()) {
                    String cell = table.cell(row, column);
                    MeasuredTable.number(cell, "").ifPresent(
                            v -> data.addValue(v, table.headers().get(table.column(column)), row.get(0)));
                }
            }
            return bars(title, table.headers().get(0), valueAxis, data, table);
        };
    }

    /**
     * One group of bars per column (the settings compared side by side), one bar in each for every named row, each
     * labelled with its cell as written. A range ("286–408 B") is drawn to its upper end.
     */
    public static Drawing barsPerColumn(String title, String valueAxis, String... rows) {
        return table -> {
            DefaultCategoryDataset data = new DefaultCategoryDataset();
            for (String label : rows) {
                List<String> row = table.row(label);
                for (int c = 1; c < row.size() && c < table.headers().size(); c++) {
                    String header = table.headers().get(c);
                    OptionalDouble value = MeasuredTable.number(row.get(c), "");
                    if (value.isPresent() && !header.toLowerCase().startsWith("target")) {
                        data.addValue(value.getAsDouble(), row.get(0), header);
                    }
                }
            }
            return bars(title, null, valueAxis, data, table);
        };
    }

    private static JFreeChart bars(String title, String categoryAxis, String valueAxis, DefaultCategoryDataset data,
            MeasuredTable table) {
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        renderer.setMaximumBarWidth(0.2);
        // Each bar says its number as the table writes it ("286–408 B"), so the picture never rounds differently.
        renderer.setDefaultItemLabelGenerator(new CellText(table));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(ChartStyle.LABEL);
        renderer.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        NumberAxis values = new NumberAxis(valueAxis);
        values.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        values.setUpperMargin(0.12);
        CategoryAxis categories = new CategoryAxis(categoryAxis);
        categories.setMaximumCategoryLabelLines(4); // a row's label is a phrase: wrapped, not cut to "a J..."
        CategoryPlot plot = new CategoryPlot(data, categories, values, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        return ChartStyle.apply(new JFreeChart(title, ChartStyle.TITLE, plot, true), table);
    }

    /** A bar's label: its cell in the table, found again by the bar's series and category names. */
    private record CellText(MeasuredTable table) implements org.jfree.chart.labels.CategoryItemLabelGenerator {

        @Override
        public String generateLabel(org.jfree.data.category.CategoryDataset dataset, int series, int category) {
            String a = dataset.getRowKey(series).toString();
            String b = dataset.getColumnKey(category).toString();
            for (List<String> row : table.rows()) {
                if (row.get(0).equals(b) && table.headers().contains(a)) {
                    return row.get(table.headers().indexOf(a));
                }
                if (row.get(0).equals(a) && table.headers().contains(b)) {
                    return row.get(table.headers().indexOf(b));
                }
            }
            return null;
        }

        @Override
        public String generateRowLabel(org.jfree.data.category.CategoryDataset dataset, int row) {
            return null;
        }

        @Override
        public String generateColumnLabel(org.jfree.data.category.CategoryDataset dataset, int column) {
            return null;
        }
    }
}
