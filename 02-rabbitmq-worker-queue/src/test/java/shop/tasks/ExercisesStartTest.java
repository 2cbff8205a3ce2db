package shop.tasks;

import course.testkit.ExerciseStart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exercises' starting state: neither the lesson code nor the tests name a reference solution, so both compile
 * without them, and the README's start command removes them and what was built from them, and only that, and says
 * how to get them back.
 */
class ExercisesStartTest {

    /** The reference solutions' classes, as the README names them; the lesson code must work without any of them. */
    private static final String SOLUTION_CLASSES = "\\b(ReportsQueue|RetryQueues|BackoffPolicy)\\b";

    @Test
    void theLessonCodeNamesNoSolutionClassNorAnExercise() throws IOException {
        ExerciseStart.assertNoLineNames("src/main",
                Pattern.compile(SOLUTION_CLASSES + "|(?i)exercise|tasks\\.reports\\b|tasks\\.retry\\.|reports-queue|retry-backoff"));
    }

    @Test
    void theTestsNameNoSolutionClassSoTheyCompileWithoutThem() throws IOException {
        ExerciseStart.assertNoLineNames("src/test", Pattern.compile(SOLUTION_CLASSES), "ExercisesStartTest.java");
    }

    @Test
    void theStartCommandRemovesTheReferenceSolutionsAndTheirBuildOutputOnlyAndSaysHowToGetThemBack(@TempDir Path course)
            throws IOException, InterruptedException {
        ExerciseStart.assertStartCommandRemovesOnlyTheSolutions(course);
    }
}
