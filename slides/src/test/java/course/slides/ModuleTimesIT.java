package course.slides;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The time a learner reads in the course's README is the one the module measured: the Modules table's "core path" column
 * quotes the bold figure of the core-path row in each module README's "Time" section. A module whose README has no
 * "Time" section yet shows the gap "to come"; once the section exists, the gap must be filled.
 */
class ModuleTimesIT {

    static final Path COURSE = Path.of("..");

    /** The placeholder for a module README that has no "Time" section yet. */
    static final String GAP = "to come";

    /** A row of the root README's Modules table: the module's link, then the last cell, the core path. */
    static final Pattern MODULE_ROW = Pattern.compile("(?m)^\\| \\[(\\d\\d-[\\w-]+)\\]\\(\\1/\\) \\|.*\\| ([^|]*?) \\|$");

    /** The core-path row of a module's "Time" table, whose total is in bold: "**about 20 min**". */
    static final Pattern CORE_ROW = Pattern.compile("(?m)^\\| \\*\\*core[^*]*\\*\\* \\|.*?\\*\\*(about [^*]+)\\*\\*");

    record Quote(String module, String figure) {
    }

    @Test
    void theRootReadmeQuotesEachModulesCorePathTimeFromThatModulesOwnReadme() throws IOException {
        List<Quote> quotes = quotes();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Quote quote : quotes) {
            Optional<String> measured = corePath(quote.module());
            if (quote.figure().equals(GAP)) {
                measured.ifPresent(figure -> problems.add(quote.module() + "'s README now has a \"Time\" section: "
                        + "replace \"" + GAP + "\" in the root README's Modules table with its core path, \"" + figure + "\""));
            } else if (measured.isEmpty()) {
                problems.add("the root README quotes \"" + quote.figure() + "\" for " + quote.module()
                        + ", but its README has no \"Time\" section with a core-path row whose total is in bold");
            } else {
                checked++;
                if (!measured.get().equals(quote.figure())) {
                    problems.add("the root README says " + quote.module() + "'s core path takes \"" + quote.figure()
                            + "\", its README says \"" + measured.get() + "\"");
                }
            }
        }
        assertThat(problems).as("core-path times in the root README that differ from the module's own").isEmpty();
        assertThat(checked).as("module READMEs whose core path the root README quotes").isGreaterThanOrEqualTo(2);
    }

    @Test
    void theRootReadmeListsEveryModuleWithItsCorePath() throws IOException {
        List<String> folders;
        try (Stream<Path> children = Files.list(COURSE)) {
            folders = children.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d\\d-[\\w-]+"))
                    .filter(n -> Files.isRegularFile(COURSE.resolve(n).resolve("README.md"))).sorted().toList();
        }
        assertThat(quotes()).extracting(Quote::module).as("the modules in the root README's Modules table")
                .containsExactlyElementsOf(folders);
    }

    /** Each module row of the root README's Modules table, with the core path it quotes. */
    static List<Quote> quotes() throws IOException {
        return MODULE_ROW.matcher(Files.readString(COURSE.resolve("README.md"))).results()
                .map(m -> new Quote(m.group(1), m.group(2).trim())).toList();
    }

    /** The bold total of the core-path row in the module README's "## Time" section, if it has one. */
    static Optional<String> corePath(String module) throws IOException {
        String readme = Files.readString(COURSE.resolve(module).resolve("README.md"));
        Matcher section = Pattern.compile("(?ms)^## Time\\n(.*?)(?=^## |\\z)").matcher(readme);
        if (!section.find()) {
            return Optional.empty();
        }
        Matcher core = CORE_ROW.matcher(section.group(1));
        return core.find() ? Optional.of(core.group(1)) : Optional.empty();
    }
}
