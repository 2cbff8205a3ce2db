package course.testkit;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.XYDataset;

/**
 * A measured table drawn as a PNG chart, committed next to the measured file that holds its numbers: {@code
 * LatencyExperiment.md}'s table is {@code LatencyExperiment.png}, {@code FanOutExperiment.md#table-join-cost} is
 * {@code FanOutExperiment-join-cost.png}. A module's {@link MeasuredCharts} test draws it again and fails when the
 * committed PNG is not what the table draws; {@code -Dcharts.write=true} writes it instead.
 *
 * @param markdown the measured file, in the module's {@code src/test/resources/measured}
 * @param tag the tagged region that holds the table
 * @param drawing how the table is drawn ({@link Charts})
 */
public record MeasuredChart(Path markdown, String tag, Charts.Drawing drawing) {

    /** Where a module's measured files are, from the module's folder (the tests' working directory). */
    public static final Path MEASURED = Path.of("src/test/resources/measured");

    /** The property that writes the charts instead of checking them. */
    public static final String WRITE = "charts.write";

    /** {@code source} is a measured file's name, with "#tag" when the table is not the one tagged "table". */
    public static MeasuredChart of(String source, Charts.Drawing drawing) {
        int hash = source.indexOf('#');
        return hash < 0 ? new MeasuredChart(MEASURED.resolve(source), "table", drawing)
                : new MeasuredChart(MEASURED.resolve(source.substring(0, hash)), source.substring(hash + 1), drawing);
    }

    /** The committed PNG, next to the measured file. */
    public Path png() {
        String name = markdown.getFileName().toString().replaceFirst("\\.md$", "");
        String suffix = tag.equals("table") ? "" : "-" + tag.replaceFirst("^table-", "");
        return markdown.resolveSibling(name + suffix + ".png");
    }

    /** The chart, drawn from the table as the measured file holds it now. */
    public JFreeChart chart() {
        return drawing.draw(MeasuredTable.read(markdown, tag));
    }

    /** The chart as a PNG: its pixels at the one fixed size, and its numbers and this machine's text as text chunks. */
    ChartPng render() {
        JFreeChart chart = chart();
        BufferedImage image = new BufferedImage(ChartStyle.WIDTH, ChartStyle.HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            chart.draw(g, new Rectangle2D.Double(0, 0, ChartStyle.WIDTH, ChartStyle.HEIGHT));
        } finally {
            g.dispose();
        }
        Map<String, String> text = new LinkedHashMap<>();
        text.put("Title", chart.getTitle().getText());
        text.put("Source", markdown.getFileName() + "#" + tag);
        text.put("Data", data(chart));
        text.put("Text drawn as", textFingerprint());
        return new ChartPng(image, text);
    }

    /** Writes the PNG when {@code -Dcharts.write=true}; otherwise fails unless the committed PNG is what the table draws. */
    public void assertCommittedPngIsCurrent() {
        ChartPng drawn = render();
        if (Boolean.getBoolean(WRITE)) {
            drawn.write(png());
            System.out.println(" [x] Wrote " + png() + " from " + drawn.text().get("Source"));
            return;
        }
        String regenerate = "; draw it again with -D" + WRITE + "=true (for example `mvn -pl <module> -am test"
                + " -Dtest=MeasuredChartsTest -Dsurefire.failIfNoSpecifiedTests=false -D" + WRITE + "=true`) and commit it";
        if (!Files.exists(png())) {
            throw new AssertionError(png() + " does not exist" + regenerate);
        }
        ChartPng committed = ChartPng.read(png());
        if (!drawn.text().get("Data").equals(committed.text().get("Data"))) {
            throw new AssertionError(png() + " shows other numbers than " + drawn.text().get("Source") + " holds now"
                    + regenerate + ".\ncommitted:\n" + committed.text().get("Data") + "\nnow:\n" + drawn.text().get("Data"));
        }
        long different = drawn.differentPixels(committed);
        if (different == 0) {
            return;
        }
        if (drawn.text().get("Text drawn as").equals(committed.text().get("Text drawn as"))) {
            throw new AssertionError(png() + " holds the same numbers but is drawn differently (" + different
                    + " pixels differ): the chart's code changed" + regenerate);
        }
        // Another machine's fonts draw every label a little differently: the numbers are what must not drift.
        System.out.println(" [!] " + png() + ": the numbers match; its pixels were not compared, because this machine"
                + " draws text differently (" + drawn.text().get("Text drawn as") + ") from the one that drew it ("
                + committed.text().get("Text drawn as") + ")");
    }

    /** The plotted numbers as text, one point a line: what the chart says, independent of how it is drawn. */
    static String data(JFreeChart chart) {
        StringBuilder text = new StringBuilder();
        if (chart.getPlot() instanceof XYPlot plot) {
            XYDataset data = plot.getDataset();
            for (int s = 0; s < data.getSeriesCount(); s++) {
                for (int i = 0; i < data.getItemCount(s); i++) {
                    text.append(data.getSeriesKey(s)).append(" | ").append(data.getXValue(s, i)).append(" | ")
                            .append(data.getYValue(s, i)).append('\n');
                }
            }
            java.util.Collection<?> markers = plot.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND);
            if (markers != null) {
                markers.forEach(m -> text.append(((ValueMarker) m).getLabel()).append(" | ")
                        .append(((ValueMarker) m).getValue()).append('\n'));
            }
        } else if (chart.getPlot() instanceof CategoryPlot plot) {
            CategoryDataset data = plot.getDataset();
            for (int r = 0; r < data.getRowCount(); r++) {
                for (int c = 0; c < data.getColumnCount(); c++) {
                    if (data.getValue(r, c) != null) {
                        text.append(data.getRowKey(r)).append(" | ").append(data.getColumnKey(c)).append(" | ")
                                .append(data.getValue(r, c)).append('\n');
                    }
                }
            }
        }
        return text.toString();
    }

    /** A hash of this machine's pixels for a sample of text in the charts' fonts, and the Java release that drew it. */
    static String textFingerprint() {
        BufferedImage sample = new BufferedImage(700, 60, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sample.createGraphics();
        try {
            g.setRenderingHints(ChartStyle.hints());
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, 700, 60);
            g.setColor(Color.BLACK);
            int x = 0;
            for (Font font : new Font[] {ChartStyle.TITLE, ChartStyle.AXIS, ChartStyle.TICK, ChartStyle.SOURCE}) {
                g.setFont(font);
                g.drawString("Ag9,5 ms p99", x, 45);
                x += 170;
            }
        } finally {
            g.dispose();
        }
        int[] pixels = sample.getRGB(0, 0, 700, 60, null, 0, 700);
        ByteBuffer bytes = ByteBuffer.allocate(pixels.length * 4);
        bytes.asIntBuffer().put(pixels);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes.array());
            return "sans-serif " + HexFormat.of().formatHex(hash, 0, 6) + " on Java " + Runtime.version().feature()
                    + " " + System.getProperty("os.name");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return png().getFileName() + " from " + markdown.getFileName() + "#" + tag;
    }
}
