package course.testkit;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * A chart's PNG with text of its own (iTXt chunks): the numbers it plots and how this machine draws text, so a check
 * can tell other numbers from other fonts. No time is written, so the same chart gives the same file.
 *
 * @param image the pixels
 * @param text the text chunks, by keyword
 */
record ChartPng(BufferedImage image, Map<String, String> text) {

    private static final String FORMAT = "javax_imageio_png_1.0";

    void write(Path file) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try {
            IIOMetadata metadata = writer.getDefaultImageMetadata(
                    ImageTypeSpecifier.createFromRenderedImage(image), writer.getDefaultWriteParam());
            IIOMetadataNode chunks = new IIOMetadataNode("iTXt");
            text.forEach((keyword, value) -> {
                IIOMetadataNode entry = new IIOMetadataNode("iTXtEntry");
                entry.setAttribute("keyword", keyword);
                entry.setAttribute("compressionFlag", "FALSE");
                entry.setAttribute("compressionMethod", "0");
                entry.setAttribute("languageTag", "");
                entry.setAttribute("translatedKeyword", "");
                entry.setAttribute("text", value);
                chunks.appendChild(entry);
            });
            IIOMetadataNode root = new IIOMetadataNode(FORMAT);
            root.appendChild(chunks);
            metadata.mergeTree(FORMAT, root);
            Files.deleteIfExists(file);
            try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
                writer.setOutput(out);
                writer.write(new IIOImage(image, null, metadata));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    static ChartPng read(Path file) {
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            reader.setInput(in);
            BufferedImage image = reader.read(0);
            Map<String, String> text = new LinkedHashMap<>();
            Node root = reader.getImageMetadata(0).getAsTree(FORMAT);
            for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
                if ("iTXt".equals(chunk.getNodeName())) {
                    for (Node entry = chunk.getFirstChild(); entry != null; entry = entry.getNextSibling()) {
                        IIOMetadataNode e = (IIOMetadataNode) entry;
                        text.put(e.getAttribute("keyword"), e.getAttribute("text"));
                    }
                }
            }
            return new ChartPng(image, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            reader.dispose();
        }
    }

    /** How many pixels differ from {@code other}'s; every one when the sizes differ. */
    long differentPixels(ChartPng other) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (w != other.image.getWidth() || h != other.image.getHeight()) {
            return (long) Math.max(w, other.image.getWidth()) * Math.max(h, other.image.getHeight());
        }
        int[] mine = image.getRGB(0, 0, w, h, null, 0, w);
        int[] theirs = other.image.getRGB(0, 0, w, h, null, 0, w);
        long different = 0;
        for (int i = 0; i < mine.length; i++) {
            if ((mine[i] & 0xffffff) != (theirs[i] & 0xffffff)) {
                different++;
            }
        }
        return different;
    }
}
