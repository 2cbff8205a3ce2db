package course.slides;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The opening slide's agenda is the time the speaker notes take: each row's minutes are the sum of the {@code Time:} lines
 * of its section's slides, the rows follow each other without a gap, and together they fill the half day the heading
 * promises. The one form of a slide's time, first in its notes, is greppable:
 * {@code grep -n '^\*Time: ' slides/src/docs/asciidoc/*.adoc}.
 */
class AgendaIT {

    static final Path DECK = Path.of("src/docs/asciidoc");

    /**
     * {@code *Time: 2 min.*} counts towards the agenda; {@code *Time: 2 min, optional.*} is shown only when the room is
     * ahead and does not; {@code *Time: in the hands-on.*} is an exercise slide, up during the hands-on slide's time.
     */
    static final Pattern TIME = Pattern.compile("\\*Time: (?:(\\d+) min(, optional)?\\.|in the hands-on\\.)\\*");

    /** Any other statement of minutes in a bold lead-in, such as the old "*Say (2 minutes):*": one convention only. */
    static final Pattern OTHER_TIMING = Pattern.compile("\\*[^*\\n]*\\b\\d+(?:–\\d+)? minutes?\\b[^*\\n]*\\*");

    static final Pattern AGENDA_HEADING = Pattern.compile("(?m)^== Agenda: a half-day workshop \\((\\d+) hours\\)$");
    static final Pattern AGENDA_ROW = Pattern.compile("(?m)^\\| (\\d+):(\\d\\d) \\| (.+?) \\| (\\d+) min$");
    static final Pattern INCLUDE = Pattern.compile("(?m)^include::([\\w-]+\\.adoc)\\[\\]$");

    /** A half-day workshop: four hours, breaks included. */
    static final int HALF_DAY_MINUTES = 240;

    /** Which agenda row each deck file's slides belong to; index.adoc holds the title slide, part of the opening. */
    static final Map<String, String> ROW_OF_FILE = new LinkedHashMap<>();

    static {
        ROW_OF_FILE.put("index.adoc", "*Opening:*");
        ROW_OF_FILE.put("00-opening.adoc", "*Opening:*");
        ROW_OF_FILE.put("01-websocket.adoc", "*01 · WebSocket:*");
        ROW_OF_FILE.put("02-worker-queue.adoc", "*02 · RabbitMQ worker queue:*");
        ROW_OF_FILE.put("03-routing.adoc", "*03 · Routing:*");
        ROW_OF_FILE.put("04-combined.adoc", "*04 · Both together:*");
        ROW_OF_FILE.put("99-closing.adoc", "*Decision guide and FAQ:*");
    }

    record Slide(String file, String title, String notes) {

        boolean isExercise() {
            return title.startsWith("Exercise") || title.startsWith("Solution");
        }
    }

    record Row(int start, String what, int minutes) {
    }

    @Test
    void everySlideOpensItsNotesWithItsTimeInTheOneGreppableForm() {
        List<String> problems = new ArrayList<>();
        for (Slide slide : slides()) {
            Matcher time = TIME.matcher(slide.notes());
            boolean opensWithTime = time.lookingAt();
            int times = (int) TIME.matcher(slide.notes()).results().count();
            if (slide.isExercise() ? times > 1 || times == 1 && !opensWithTime : times != 1 || !opensWithTime) {
                problems.add(slide.file() + ", \"" + slide.title() + "\": the notes must open with one line of the form "
                        + "*Time: N min.* (or *Time: N min, optional.*, or on an exercise slide *Time: in the hands-on.*)");
            }
            Matcher other = OTHER_TIMING.matcher(slide.notes());
            if (!slide.isExercise() && other.find()) {
                problems.add(slide.file() + ", \"" + slide.title() + "\": states minutes outside its Time line: " + other.group());
            }
        }
        assertThat(problems).as("speaker notes whose time is not in the deck's one form").isEmpty();
    }

    @Test
    void eachAgendaRowLastsExactlyAsLongAsItsSlidesTimedNotesAddUpTo() {
        Map<String, Integer> notesMinutes = new LinkedHashMap<>();
        Map<String, List<String>> parts = new LinkedHashMap<>();
        for (Slide slide : slides()) {
            Matcher time = TIME.matcher(slide.notes());
            if (time.lookingAt() && time.group(1) != null && time.group(2) == null) {
                String row = ROW_OF_FILE.get(slide.file());
                notesMinutes.merge(row, Integer.parseInt(time.group(1)), Integer::sum);
                parts.computeIfAbsent(row, r -> new ArrayList<>()).add(time.group(1) + " (" + slide.title() + ")");
            }
        }
        List<Row> rows = agenda();
        List<String> problems = new ArrayList<>();
        for (String section : notesMinutes.keySet()) {
            Row row = rows.stream().filter(r -> r.what().startsWith(section)).findFirst().orElse(null);
            if (row == null) {
                problems.add("the agenda has no row for " + section);
            } else if (row.minutes() != notesMinutes.get(section)) {
                problems.add(section + " is " + row.minutes() + " min in the agenda, but its notes add up to "
                        + notesMinutes.get(section) + " min: " + String.join(" + ", parts.get(section)));
            }
        }
        for (Row row : rows) {
            boolean isBreak = row.what().equals("_Break_");
            boolean hasSlides = notesMinutes.keySet().stream().anyMatch(row.what()::startsWith);
            if (!isBreak && !hasSlides) {
                problems.add("the agenda row \"" + row.what() + "\" has no slides with a Time line");
            }
        }
        assertThat(problems).as("agenda rows that differ from their slides' notes").isEmpty();
        int agendaTotal = rows.stream().mapToInt(Row::minutes).sum();
        int breaks = rows.stream().filter(r -> r.what().equals("_Break_")).mapToInt(Row::minutes).sum();
        assertThat(notesMinutes.values().stream().mapToInt(Integer::intValue).sum() + breaks)
                .as("the notes' minutes and the breaks, in all").isEqualTo(agendaTotal);
    }

    @Test
    void theAgendaRowsFollowEachOtherAndFillTheHalfDayItPromises() {
        String opening = read(DECK.resolve("00-opening.adoc"));
        Matcher heading = AGENDA_HEADING.matcher(opening);
        assertThat(heading.find()).as("the agenda slide's heading names its hours").isTrue();
        int promised = Integer.parseInt(heading.group(1)) * 60;
        assertThat(promised).as("what the heading promises fits a half day").isLessThanOrEqualTo(HALF_DAY_MINUTES);

        int clock = 0;
        for (Row row : agenda()) {
            assertThat(row.start()).as("the start of \"%s\": the rows before it end then", row.what()).isEqualTo(clock);
            clock += row.minutes();
        }
        assertThat(clock).as("the agenda in all, against its heading").isEqualTo(promised);
    }

    @Test
    void everySectionTheDeckIncludesIsOnTheAgenda() {
        List<String> included = INCLUDE.matcher(read(DECK.resolve("index.adoc"))).results().map(m -> m.group(1)).toList();
        assertThat(included).as("the sections index.adoc includes, each mapped to its agenda row here")
                .containsExactlyElementsOf(ROW_OF_FILE.keySet().stream().filter(f -> !f.equals("index.adoc")).toList());
    }

    /** The agenda table's rows, in order. */
    static List<Row> agenda() {
        List<Row> rows = AGENDA_ROW.matcher(read(DECK.resolve("00-opening.adoc"))).results()
                .map(m -> new Row(Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2)), m.group(3),
                        Integer.parseInt(m.group(4))))
                .toList();
        assertThat(rows).as("the agenda table's rows: | H:MM | what | N min").hasSizeGreaterThan(5);
        return rows;
    }

    /** Every slide of the deck with its notes, in deck order; index.adoc's own text is the title slide. */
    static List<Slide> slides() {
        List<Slide> slides = new ArrayList<>();
        String index = read(DECK.resolve("index.adoc"));
        Matcher firstInclude = INCLUDE.matcher(index);
        assertThat(firstInclude.find()).as("index.adoc includes the sections").isTrue();
        slides.add(new Slide("index.adoc", "(title slide)", notes(index.substring(0, firstInclude.start()))));
        for (String file : ROW_OF_FILE.keySet()) {
            if (file.equals("index.adoc")) {
                continue;
            }
            for (String[] slide : split(read(DECK.resolve(file)))) {
                slides.add(new Slide(file, slide[0], notes(slide[1])));
            }
        }
        return slides;
    }

    /** A section file's slides as {title, text}: a new slide at each "== " line outside a delimited block. */
    private static List<String[]> split(String section) {
        List<String[]> slides = new ArrayList<>();
        String title = null;
        StringBuilder text = new StringBuilder();
        boolean inBlock = false;
        for (String line : section.split("\n", -1)) {
            if (line.equals("----") || line.equals("....")) {
                inBlock = !inBlock;
            }
            if (!inBlock && line.startsWith("== ")) {
                if (title != null) {
                    slides.add(new String[] {title, text.toString()});
                }
                title = line.substring(3);
                text.setLength(0);
            }
            text.append(line).append('\n');
        }
        if (title != null) {
            slides.add(new String[] {title, text.toString()});
        }
        return slides;
    }

    /** The text of a slide's [.notes] block, or "" without one. */
    private static String notes(String slide) {
        int start = slide.indexOf("[.notes]\n--\n");
        if (start < 0) {
            return "";
        }
        start += "[.notes]\n--\n".length();
        int end = slide.indexOf("\n--\n", start);
        return slide.substring(start, end < 0 ? slide.length() : end);
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
