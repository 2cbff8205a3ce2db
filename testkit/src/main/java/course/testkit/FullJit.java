package course.testkit;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks an experiment: when a run sizes it (any {@code -Dexperiment.*} property, as every full-size command in the
 * READMEs has), the Payara Micro processes it starts boot with the JVM's full JIT, because their speed is what it
 * measures. Every other {@link PayaraProcess} boots with the quick C1 compiler only ({@code -XX:TieredStopAtLevel=1}):
 * measured here, that halves the CPU a boot takes (about 31 s to 17 s of CPU on 2 AMD EPYC cores), and a test's few
 * requests never reach the code C2 would compile. So does an experiment at its CI size, in {@code mvn verify}: it
 * checks its invariants only, and says so.
 *
 * <p>Register it on the experiment class: {@code @ExtendWith(FullJit.class)}. Test classes run one after another.
 * Arquillian's server chooses by {@link ArquillianJit}.
 */
public final class FullJit implements BeforeAllCallback, AfterAllCallback {

    /** What a test's server boots with: the C1 compiler only. */
    static final List<String> QUICK_BOOT = List.of("-XX:TieredStopAtLevel=1");

    private static volatile boolean measuring;

    @Override
    public void beforeAll(ExtensionContext context) {
        measuring = sized();
        if (!measuring) {
            System.out.println("[FullJit] " + context.getRequiredTestClass().getSimpleName() + " runs at its CI size: its "
                    + "servers boot with the C1 compiler only, as the tests' do, so its numbers are no measurement; a "
                    + "full-size command (-Dexperiment.*) boots them with the full JIT.");
        }
    }

    /** Whether this run sizes an experiment: any {@code -Dexperiment.*} property. */
    static boolean sized() {
        return System.getProperties().stringPropertyNames().stream().anyMatch(key -> key.startsWith("experiment."));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        measuring = false;
    }

    /** The JIT option for a process starting now: none (the full JIT) in an experiment, else C1 only. */
    static List<String> jvmOptions() {
        return measuring ? List.of() : QUICK_BOOT;
    }

    /** Runs {@code start} as a sized experiment would: for a server that experiments share with tests. */
    static <T> T during(Supplier<T> start) {
        boolean before = measuring;
        measuring = sized();
        try {
            return start.get();
        } finally {
            measuring = before;
        }
    }
}
