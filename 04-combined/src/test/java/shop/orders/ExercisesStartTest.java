package shop.orders;

import course.testkit.ExerciseStart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exercises' starting state: the lesson code never names a reference solution, so it compiles without them,
 * and the README's start command removes them and what was built from them, and only that, and says how to get
 * them back.
 */
class ExercisesStartTest {

    /** The reference solutions' classes, as the README names them; the lesson code must work without any of them. */
    private static final String SOLUTION_CLASSES = "\\b(CarrierOutage|LastAttempt)\\b";

    @Test
    void theLessonCodeNamesNoSolutionClassNorAnExercise() throws IOException {
        ExerciseStart.assertNoLineNames("src/main",
                Pattern.compile(SOLUTION_CLASSES + "|(?i)exercise|carrier-down"));
    }

    @Test
    void theStartCommandRemovesTheReferenceSolutionsAndTheirBuildOutputOnlyAndSaysHowToGetThemBack(@TempDir Path course)
            throws IOException, InterruptedException {
        ExerciseStart.assertStartCommandRemovesOnlyTheSolutions(course);
    }
}
