package course.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the code quoted in a Markdown walkthrough identical to the real, tested source.
 *
 * <p>A quote is marked with a comment naming its origin, directly above the code block:
 * <pre>
 * &lt;!-- include: src/main/java/shop/chat/Room.java#broadcast --&gt;
 * ```java
 * ...the lines between tag::broadcast[] and end::broadcast[], de-indented...
 * ```
 * </pre>
 * The same tags feed the slides, so a quote can never drift from the code it shows.
 *
 * <p>A region that is itself Markdown (a measured table) is quoted as Markdown, not in a code block: the same marker
 * above it, and {@code <!-- end include -->} below it, so the table still renders as a table.
 */
public final class DocSnippets {

    private static final Pattern QUOTE = Pattern.compile(
            "<!-- include: (\\S+)#(\\S+) -->\\R```[a-z]*\\R(.*?)```", Pattern.DOTALL);
    /** A Markdown region quoted as Markdown: the include marker not followed by a fence, closed by an end marker. */
    private static final Pattern MARKDOWN_QUOTE = Pattern.compile(
            "<!-- include: (\\S+)#(\\S+) -->\\R(?!```)(.*?)<!-- end include -->", Pattern.DOTALL);
    private static final Pattern MARKER = Pattern.compile("<!-- include: ");
    /** A tag directive, as Asciidoctor recognises it: a line holding one is never part of an included region. */
    private static final Pattern TAG_DIRECTIVE = Pattern.compile("\\b(?:tag|end)::\\S+?\\[\\](?=$|[ \\r])");

    private DocSnippets() {
    }

    /** One quote in a document: where it claims to come from, and what it says. */
    public record Quote(String file, String tag, String text) {
    }

    /**
     * Asserts that every quote in the markdown file equals its tagged source region, and returns how
     * many quotes there are, so the caller can insist there are some.
     */
    public static int assertQuotesMatchSources(Path markdown) {
        return assertQuotesMatchSources(markdown, Path.of(""));
    }

    /** As {@link #assertQuotesMatchSources(Path)}, with the markers' paths relative to {@code base}. */
    public static int assertQuotesMatchSources(Path markdown, Path base) {
        List<Quote> quotes = quotes(markdown);
        for (Quote quote : quotes) {
            String source = tagged(base.resolve(quote.file()), quote.tag());
            if (!quote.text().equals(source)) {
                throw new AssertionError(markdown + " quotes " + quote.file() + "#" + quote.tag()
                        + " differently from the source.\nquoted:\n" + quote.text() + "\nsource:\n" + source);
            }
        }
        return quotes.size();
    }

    /**
     * Every marked quote in {@code markdown}, fenced or Markdown. A marker that is neither directly above a fence nor
     * closed by {@code <!-- end include -->} before the next marker fails, so a quote cannot go unchecked by a typo.
     */
    public static List<Quote> quotes(Path markdown) {
        String text = read(markdown);
        List<Quote> quotes = new ArrayList<>();
        Matcher m = QUOTE.matcher(text);
        while (m.find()) {
            quotes.add(new Quote(m.group(1), m.group(2), m.group(3)));
        }
        Matcher md = MARKDOWN_QUOTE.matcher(text);
        while (md.find()) {
            if (MARKER.matcher(md.group(3)).find()) {
                throw new AssertionError(markdown + ": the quote of " + md.group(1) + "#" + md.group(2)
                        + " has no <!-- end include --> before the next include marker");
            }
            quotes.add(new Quote(md.group(1), md.group(2), md.group(3)));
        }
        long markers = MARKER.matcher(text).results().count();
        if (markers != quotes.size()) {
            throw new AssertionError(markdown + " has " + markers + " include markers but only " + quotes.size()
                    + " are directly above a fenced block or closed by <!-- end include -->");
        }
        return quotes;
    }

    /**
     * The lines between {@code tag::name[]} and {@code end::name[]} in {@code source}, de-indented, ending in a newline.
     * Lines that hold the markers of a smaller region nested inside (one a slide includes) are left out, as Asciidoctor
     * leaves them out, so the README quotes the same text the slides would show.
     */
    public static String tagged(Path source, String tag) {
        List<String> lines = read(source).lines().toList();
        int start = indexOf(lines, "tag::" + tag + "[]", 0);
        int end = indexOf(lines, "end::" + tag + "[]", start + 1);
        if (start < 0 || end < 0) {
            throw new AssertionError("tag '" + tag + "' not found in " + source);
        }
        List<String> body = lines.subList(start + 1, end).stream()
                .filter(l -> !TAG_DIRECTIVE.matcher(l).find()).toList();
        int indent = body.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder text = new StringBuilder();
        body.forEach(l -> text.append(l.isBlank() ? "" : l.substring(indent)).append('\n'));
        return text.toString();
    }

    private static int indexOf(List<String> lines, String marker, int from) {
        for (int i = Math.max(from, 0); i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i;
            }
        }
        return -1;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
