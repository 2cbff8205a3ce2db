package course.slides;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What an instructor tells the room to type is what a README prints, so the commands the tests run as printed are the
 * ones people type: every command on a slide or in its notes (a shell block's lines, or inline code starting with a
 * command) appears, with the same words, in the course's README, a module's README or one of its docs.
 */
class HandsOnCommandsIT {

    static final Path COURSE = Path.of("..");

    static final Pattern SHELL_BLOCK = Pattern.compile("(?s)\\[source,(?:shell|sh|bash)\\]\\n----\\n(.*?)\\n----");
    static final Pattern INLINE = Pattern.compile("`\\+?([^`\\n]+?)\\+?`");
    static final Pattern COMMAND = Pattern.compile(
            "^(?:mvn|curl|bash|python3|rabbitmqctl|rabbitmq-plugins|sudo|git|brew|docker|openssl|npm) .*");

    @Test
    void everyCommandASlideOrItsNotesTellsPeopleToRunIsOneAReadmePrints() throws IOException {
        String readmes = normalised(readmes());
        List<String> commands = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> decks = Files.list(AgendaIT.DECK)) {
            for (Path deck : decks.filter(p -> p.toString().endsWith(".adoc")).sorted().toList()) {
                String text = Files.readString(deck);
                Matcher block = SHELL_BLOCK.matcher(text);
                while (block.find()) {
                    for (String line : block.group(1).replace("\\\n", " ").split("\n")) {
                        String command = line.replaceAll("\\s+#.*$", "").trim();
                        if (!command.isEmpty()) {
                            commands.add(command);
                            check(deck, command, readmes, problems);
                        }
                    }
                }
                Matcher inline = INLINE.matcher(block.reset().replaceAll(""));
                while (inline.find()) {
                    if (COMMAND.matcher(inline.group(1)).matches()) {
                        commands.add(inline.group(1));
                        check(deck, inline.group(1), readmes, problems);
                    }
                }
            }
        }
        assertThat(commands).as("commands on the slides and in their notes").hasSizeGreaterThan(20);
        assertThat(problems).as("commands the deck tells people to run that no README prints").isEmpty();
    }

    private static void check(Path deck, String command, String readmes, List<String> problems) {
        if (!readmes.contains(normalised(command))) {
            problems.add(deck.getFileName() + ": " + command);
        }
    }

    /** The course README, every module's README and docs, and the slides README, one after the other. */
    private static String readmes() throws IOException {
        StringBuilder all = new StringBuilder(Files.readString(COURSE.resolve("README.md")));
        try (Stream<Path> files = Files.walk(COURSE, 3)) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".md"))
                    .filter(p -> COURSE.relativize(p).toString().matches("[\\w-]+/(README\\.md|docs/[\\w-]+\\.md)"))
                    .sorted().toList()) {
                all.append('\n').append(Files.readString(file));
            }
        }
        return all.toString();
    }

    /** Line continuations and runs of blanks count as one blank, as the shell reads them. */
    private static String normalised(String text) {
        return text.replace("\\\n", " ").replaceAll("\\s+", " ").trim();
    }
}
