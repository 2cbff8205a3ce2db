package course.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a module's exercises' starting state, the same way in every module: the lesson code names no reference
 * solution (so it compiles without {@code src/solution}), and {@code exercises/start.sh}, run from the course folder
 * as the README prints it, removes the solutions and what was built from them, and only that, and says how to get
 * them back.
 */
public final class ExerciseStart {

    private ExerciseStart() {
    }

    /** Fails on any line, in a file under {@code folder} (except those ending in {@code except}), that matches {@code named}. */
    public static void assertNoLineNames(String folder, Pattern named, String... except) throws IOException {
        List<Path> files;
        try (Stream<Path> found = Files.walk(Path.of(folder))) {
            files = found.filter(Files::isRegularFile)
                    .filter(f -> Stream.of(except).noneMatch(e -> f.endsWith(Path.of(e)))).toList();
        }
        assertThat(files).as(folder).isNotEmpty();
        for (Path file : files) {
            // as bytes, not UTF-8: the folder holds charts (PNG) too, and a name is ASCII either way
            String text = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(text.lines()).as(file.toString()).noneMatch(line -> named.matcher(line).find());
        }
    }

    /**
     * Runs this module's {@code exercises/start.sh} in a course folder of its own under {@code course} (so this working
     * copy keeps its solutions), with a stand-in solution, its build output and a lesson file, and checks what is left.
     */
    public static void assertStartCommandRemovesOnlyTheSolutions(Path course) throws IOException, InterruptedException {
        String name = Path.of("").toAbsolutePath().getFileName().toString();
        Path module = course.resolve(name);
        Files.createDirectories(module.resolve("exercises"));
        Files.copy(Path.of("exercises/start.sh"), module.resolve("exercises/start.sh"));
        write(module.resolve("src/solution/java/shop/Solution.java"), "class Solution {}");
        write(module.resolve("target/classes/shop/Solution.class"), "built from the solution");
        write(module.resolve("src/main/java/shop/Lesson.java"), "class Lesson {}");

        Process start = new ProcessBuilder("bash", name + "/exercises/start.sh") // as the README prints it
                .directory(course.toFile()).redirectErrorStream(true).start();
        assertThat(start.waitFor(30, TimeUnit.SECONDS)).as("start.sh finished").isTrue();
        String output = new String(start.getInputStream().readAllBytes());

        assertThat(start.exitValue()).as(output).isZero();
        assertThat(module.resolve("src/solution")).doesNotExist();
        assertThat(module.resolve("target")).doesNotExist();
        assertThat(module.resolve("src/main/java/shop/Lesson.java")).exists();
        assertThat(output.lines()).containsExactly("Exercises ready: the reference solutions are removed; "
                + "get them back with: git checkout -- " + name + "/src/solution");
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
