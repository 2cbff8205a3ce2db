package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exercises' starting state: the lesson code never names a reference solution, so it compiles and runs without
 * them, and the README's start command removes them and what was built from them, and only that, and says how to
 * get them back.
 */
class ExercisesStartTest {

    /** The reference solutions' classes, as the README names them; the lesson code must work without any of them. */
    private static final List<String> SOLUTION_CLASSES = List.of("ApacAnalytics", "BandedOrderKey", "BandedKeyScheme");

    @Test
    void theLessonCodeNamesNoSolutionClassNorAnExercise() throws IOException {
        List<Path> lesson;
        try (Stream<Path> files = Files.walk(Path.of("src/main"))) {
            lesson = files.filter(Files::isRegularFile).toList();
        }
        assertThat(lesson).isNotEmpty();
        Pattern named = Pattern.compile("\\b(" + String.join("|", SOLUTION_CLASSES) + ")\\b|(?i)exercise|apac-analytics|banded");
        for (Path file : lesson) {
            assertThat(Files.readAllLines(file)).as(file.toString()).noneMatch(line -> named.matcher(line).find());
        }
    }

    @Test
    void theStartCommandRemovesTheReferenceSolutionsAndTheirBuildOutputOnlyAndSaysHowToGetThemBack(@TempDir Path course)
            throws IOException, InterruptedException {
        // A course folder of its own, so the run does not remove this working copy's solutions.
        Path module = course.resolve("03-routing");
        Files.createDirectories(module.resolve("exercises"));
        Files.copy(Path.of("exercises/start.sh"), module.resolve("exercises/start.sh"));
        Files.createDirectories(module.resolve("src/solution/java/shop/routing"));
        Files.writeString(module.resolve("src/solution/java/shop/routing/ApacAnalytics.java"), "class ApacAnalytics {}");
        Files.createDirectories(module.resolve("target/classes/shop/routing"));
        Files.writeString(module.resolve("target/classes/shop/routing/ApacAnalytics.class"), "built from the solution");
        Files.createDirectories(module.resolve("src/main/java/shop/routing"));
        Files.writeString(module.resolve("src/main/java/shop/routing/RoutingRules.java"), "final class RoutingRules {}");

        Process start = new ProcessBuilder("bash", "03-routing/exercises/start.sh") // as the README prints it
                .directory(course.toFile()).redirectErrorStream(true).start();
        assertThat(start.waitFor(30, TimeUnit.SECONDS)).as("start.sh finished").isTrue();
        String output = new String(start.getInputStream().readAllBytes());

        assertThat(start.exitValue()).as(output).isZero();
        assertThat(module.resolve("src/solution")).doesNotExist();
        assertThat(module.resolve("target")).doesNotExist();
        assertThat(module.resolve("src/main/java/shop/routing/RoutingRules.java")).exists();
        assertThat(output.lines()).containsExactly("Exercises ready: the reference solutions are removed; "
                + "get them back with: git checkout -- 03-routing/src/solution");
    }
}
