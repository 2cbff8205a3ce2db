package course.testkit;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs a module's experiments (classes named {@code *Experiment}) after its tests, in the order they came: the labs
 * that run beside the others on a broker of their own ({@code @Execution(CONCURRENT)}) have ended by then, so an
 * experiment measures a machine that runs nothing else of the build. Named in a module's junit-platform.properties;
 * it changes when a class runs, never what it sees.
 */
public final class ExperimentsLast implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        // A stable sort: within each group, the order the build tool chose.
        context.getClassDescriptors().sort(Comparator.comparing(
                (ClassDescriptor c) -> c.getTestClass().getSimpleName().endsWith("Experiment")));
    }
}
