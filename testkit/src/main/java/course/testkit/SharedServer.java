package course.testkit;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The module's WAR in one {@link PayaraProcess}, booted when the first test class that registers it starts and
 * stopped when the whole test run ends, so that every class which deploys the same unmodified WAR with the same
 * settings pays for one Payara Micro boot (12-20 s here) instead of one each; {@link #forOneClass} keeps one to a
 * single class, for a class whose lesson needs a server nobody used before it.
 *
 * <p>Register it as a static field, {@code @RegisterExtension static final SharedServer producer = ...}, after the
 * {@code @ExtendWith(RabbitVhost.class)} whose vhost its settings name: the settings are read when it boots. Classes
 * share a server by registering the same instance (a static field of their common base class, or of one another).
 * It lives in JUnit's root store, which closes its values in reverse order at the end of the run: the server stops
 * before {@link RabbitVhost} deletes the vhost it used.
 *
 * <p>It boots in the background: {@link #url()} and {@link #process()} wait until it is ready, so a class's own
 * {@code @BeforeAll} can start the workers it needs while the server boots (two boots at once on two cores take
 * less time than one after the other).
 */
public final class SharedServer implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedServer.class);

    private final String name;
    private final String finalName;
    private final Supplier<Map<String, String>> settings;
    private final boolean wholeRun;
    private final Runnable afterStop;
    /** The running server of the class now running; classes run one after another. */
    private volatile Running current;

    private SharedServer(String name, String finalName, Supplier<Map<String, String>> settings, boolean wholeRun,
            Runnable afterStop) {
        this.name = name;
        this.finalName = finalName;
        this.settings = settings;
        this.wholeRun = wholeRun;
        this.afterStop = afterStop;
    }

    /** One server for every class that registers this instance, from the first one's start to the run's end. */
    public static SharedServer forTheRun(String name, String finalName, Supplier<Map<String, String>> settings) {
        return new SharedServer(name, finalName, settings, true, () -> { });
    }

    /** A server of this class's own, stopped when the class ends. */
    public static SharedServer forOneClass(String name, String finalName, Supplier<Map<String, String>> settings) {
        return new SharedServer(name, finalName, settings, false, () -> { });
    }

    /** Runs once the server has stopped, for example to delete the broker users it created at start. */
    public SharedServer afterStop(Runnable cleanup) {
        return new SharedServer(name, finalName, settings, wholeRun, cleanup);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext owner = wholeRun ? context.getRoot() : context;
        current = owner.getStore(NAMESPACE).getOrComputeIfAbsent(name, key -> boot(), Running.class);
    }

    /** Starts the process and returns at once; {@link Running#ready()} waits for it. */
    private Running boot() {
        // A server for the whole run may serve experiments too: it boots once, with the full JIT they measure with.
        PayaraProcess process = wholeRun ? FullJit.during(() -> PayaraProcess.start(name, finalName, settings.get()))
                : PayaraProcess.start(name, finalName, settings.get());
        return new Running(process, afterStop);
    }

    /**
     * For a class whose own servers must be alone in the run's vhost, as the only consumers of its queues: stops this
     * server before the class starts, if an earlier class booted it, and runs its clean-up; a later class that
     * registers it boots it again. Register it after {@link RabbitVhost}, as a static field:
     * {@code @RegisterExtension static final BeforeAllCallback alone = SHOP.stopFirst();}
     */
    public BeforeAllCallback stopFirst() {
        return context -> {
            Running running = context.getRoot().getStore(NAMESPACE).remove(name, Running.class);
            if (running != null) {
                current = null;
                running.close();
            }
        };
    }

    /** The server's root URL, {@code http://localhost:<port>/}, as Arquillian's {@code @ArquillianResource URL} gives it. */
    public URL url() {
        try {
            return URI.create("http://localhost:" + process().port() + "/").toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The process, for its log lines and its port, once it is ready (it boots in the background). */
    public PayaraProcess process() {
        Running running = current;
        if (running == null) {
            throw new IllegalStateException(name + " is not running: register it with @RegisterExtension on the test class.");
        }
        return running.ready();
    }

    /** Stops the process when its store closes (the run's end, or the class's), then runs the clean-up. */
    private static final class Running implements AutoCloseable {
        private final PayaraProcess process;
        private final Runnable afterStop;
        /** Set once the process said it is ready, or why it never will be: every later caller gets the same answer. */
        private boolean ready;
        private RuntimeException failed;

        Running(PayaraProcess process, Runnable afterStop) {
            this.process = process;
            this.afterStop = afterStop;
        }

        /** Waits until the process is ready, the first time; fails, then and every time after, if it cannot boot. */
        synchronized PayaraProcess ready() {
            if (failed != null) {
                throw failed;
            }
            if (!ready) {
                try {
                    process.awaitReady();
                    ready = true;
                } catch (RuntimeException e) {
                    failed = e;
                    process.close(); // its output stays in target/NAME.log
                    throw e;
                }
            }
            return process;
        }

        @Override
        public void close() {
            try {
                process.stop(); // SIGTERM: it undeploys and closes its broker connections, as Arquillian's undeploy did
                process.close();
            } finally {
                afterStop.run();
            }
        }
    }
}
