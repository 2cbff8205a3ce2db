package shop.tasks;

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
 * The exercises' starting state: neither the lesson code nor the tests name a reference solution, so both compile
 * without them, and the README's start command removes them and what was built from them, and only that, and says
 * how to get them back.
 */
class ExercisesStartTest {

    /** The reference solutions' classes, as the README names them; the lesson code must work without any of them. */
    private static final List<String> SOLUTION_CLASSES =
            List.of("ReportsQueue", "RetryQueues", "BackoffConsumer", "BackoffTaskListener");

    @Test
    void theLessonCodeNamesNoSolutionClassNorAnExercise() throws IOException {
        Pattern named = Pattern.compile("\\b(" + String.join("|", SOLUTION_CLASSES) + ")\\b"
                + "|(?i)exercise|tasks\\.reports\\b|tasks\\.retry\\.|reports-queue|retry-backoff");
        assertNoLineMatches(files("src/main"), named);
    }

    @Test
    void theTestsNameNoSolutionClassSoTheyCompileWithoutThem() throws IOException {
        Pattern named = Pattern.compile("\\b(" + String.join("|", SOLUTION_CLASSES) + ")\\b");
        List<Path> tests = files("src/test").stream()
                .filter(f -> !f.endsWith(Path.of("shop/tasks/ExercisesStartTest.java"))).toList();
        assertNoLineMatches(tests, named);
    }

    @Test
    void theStartCommandRemovesTheReferenceSolutionsAndTheirBuildOutputOnlyAndSaysHowToGetThemBack(@TempDir Path course)
            throws IOException, InterruptedException {
        // A course folder of its own, so the run does not remove this working copy's solutions.
        Path module = course.resolve("02-rabbitmq-worker-queue");
        Files.createDirectories(module.resolve("exercises"));
        Files.copy(Path.of("exercises/start.sh"), module.resolve("exercises/start.sh"));
        Files.createDirectories(module.resolve("src/solution/java/shop/tasks"));
        Files.writeString(module.resolve("src/solution/java/shop/tasks/ReportsQueue.java"), "class ReportsQueue {}");
        Files.createDirectories(module.resolve("target/classes/shop/tasks"));
        Files.writeString(module.resolve("target/classes/shop/tasks/ReportsQueue.class"), "built from the solution");
        Files.createDirectories(module.resolve("src/main/java/shop/tasks"));
        Files.writeString(module.resolve("src/main/java/shop/tasks/Worker.java"), "class Worker {}");

        Process start = new ProcessBuilder("bash", "02-rabbitmq-worker-queue/exercises/start.sh") // as the README prints it
                .directory(course.toFile()).redirectErrorStream(true).start();
        assertThat(start.waitFor(30, TimeUnit.SECONDS)).as("start.sh finished").isTrue();
        String output = new String(start.getInputStream().readAllBytes());

        assertThat(start.exitValue()).as(output).isZero();
        assertThat(module.resolve("src/solution")).doesNotExist();
        assertThat(module.resolve("target")).doesNotExist();
        assertThat(module.resolve("src/main/java/shop/tasks/Worker.java")).exists();
        assertThat(output.lines()).containsExactly("Exercises ready: the reference solutions are removed; "
                + "get them back with: git checkout -- 02-rabbitmq-worker-queue/src/solution");
    }

    private static List<Path> files(String folder) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of(folder))) {
            List<Path> found = files.filter(Files::isRegularFile).toList();
            assertThat(found).as(folder).isNotEmpty();
            return found;
        }
    }

    private static void assertNoLineMatches(List<Path> files, Pattern named) throws IOException {
        for (Path file : files) {
            assertThat(Files.readAllLines(file)).as(file.toString()).noneMatch(line -> named.matcher(line).find());
        }
    }
}
