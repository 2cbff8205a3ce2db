package course.testkit;

import java.util.Arrays;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Chooses the JIT of the Payara Micro that Arquillian boots, as {@link FullJit} does for {@link PayaraProcess}: the
 * full JIT for a sized experiment (a class registering {@link FullJit}, in a run with {@code -Dexperiment.*}), C1
 * only for a test or an experiment at its CI size. Register it before
 * {@code ArquillianExtension}: it sets {@code payara.jit-options}, which arquillian.xml's {@code cmdOptions} names,
 * before Arquillian reads that file. Arquillian reads it once per test run, so the run's first class chooses for the
 * whole run: a sized experiment run alone measures with the full JIT, and one that runs after a test says that its
 * server has C1 only.
 */
public final class ArquillianJit implements BeforeAllCallback {

    public static final String PROPERTY = "payara.jit-options";

    @Override
    public void beforeAll(ExtensionContext context) {
        boolean measured = FullJit.sized() && AnnotationSupport.findRepeatableAnnotations(context.getRequiredTestClass(),
                ExtendWith.class).stream().anyMatch(e -> Arrays.asList(e.value()).contains(FullJit.class));
        String chosen = System.getProperty(PROPERTY);
        if (chosen == null) {
            System.setProperty(PROPERTY, measured ? "" : String.join(" ", FullJit.QUICK_BOOT));
        } else if (measured && !chosen.isEmpty()) {
            System.out.println("[ArquillianJit] " + context.getRequiredTestClass().getSimpleName() + " measures a server "
                    + "that boots with " + chosen + " (the C1 compiler only): this run's first class was a test. Run the "
                    + "experiment alone (-Dit.test) for numbers to compare.");
        }
    }
}
