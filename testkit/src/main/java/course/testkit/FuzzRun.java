package course.testkit;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * One fuzz run of a module, with a well-behaved client beside it. It sends each generated input and has it judged
 * ({@link FuzzVerdict}, {@link FrameVerdict}), counts the inputs and their outcomes (status, close code, tolerated
 * defect), and runs the bystander: a module-given round of normal use (sign in, send, receive), timed first alone
 * ({@value #BASELINE_ROUNDS} rounds: the baseline) and then every {@value #BYSTANDER_PAUSE_MS} ms on a thread of its
 * own for the whole run. Each of its rounds must succeed within {@link #bound()}: {@value #SLOWDOWN}× the slowest
 * baseline round, and at least {@value #FLOOR_MS} ms (on a 2-core machine shared with the fuzzer, a few ms of
 * baseline say little). {@link #finish()} prints a one-line summary and a Markdown table, and fails if fewer than
 * {@value #MIN_INPUTS} inputs ran: a harness that sends nothing cannot pass.
 *
 * <p>How a module plugs in (one {@code @FuzzTest} per module, in an {@code *IT} class, so failsafe runs it):
 * <pre>{@code
 * class FuzzIT {
 *     static PayaraProcess server; static URL base; static FuzzRun run; static FuzzRequests requests;
 *
 *     @BeforeAll static void start() throws Exception {
 *         server = PayaraProcess.start("fuzz", "chat", Map.of(...)).awaitReady();
 *         base = new URL("http://localhost:" + server.port() + "/");
 *         requests = new FuzzRequests(base, List.of("/api/session", ...), List.of("name", ...), () -> List.of(...));
 *         run = FuzzRun.start("01-websocket-chat", () -> { ... one normal round, throws if not served ... });
 *     }
 *
 *     @FuzzTest(maxDuration = "30s")                       // -Dfuzz.duration overrides it (see the parent pom)
 *     void everyEndpoint(FuzzedDataProvider data) {
 *         run.checkBystander();            // first: allows the connections, fails if the bystander was slowed
 *         if (data.consumeBoolean()) run.http(requests.next(data), base);
 *         else try (RawWebSocket ws = RawWebSocket.open(uri, headers)) { run.frames(ws, frames.next(data)); }
 *     }
 *
 *     @AfterAll static void finish() { try { run.finish(); } finally { server.close(); } }
 * }
 * }</pre>
 */
public final class FuzzRun {

    /** A request's answer must end within this: far over a normal answer's milliseconds, well under a run. */
    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    public static final int MIN_INPUTS = 100;
    static final int BASELINE_ROUNDS = 5;
    static final long BYSTANDER_PAUSE_MS = 1_000;
    static final int SLOWDOWN = 10;
    static final long FLOOR_MS = 2_000;

    /** One round of a well-behaved client's normal use; throws (an assertion) if it is not served. */
    @FunctionalInterface
    public interface Bystander {
        void round() throws Exception;
    }

    private final String name;
    private final Bystander bystander;
    private final Duration baselineSlowest;
    private final Duration bound;
    private final long started = System.nanoTime();
    private final AtomicLong inputs = new AtomicLong();
    private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    private final List<Long> roundNanos = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<AssertionError> bystanderFailure = new AtomicReference<>();
    private final Thread beside;
    private volatile boolean running = true;
    private volatile boolean networkAllowed;
    private final AtomicLong slowestInput = new AtomicLong();
    private volatile String slowestOutcome = "";
    private static final boolean SURVEY = Boolean.getBoolean("fuzz.survey");
    private final Map<String, AtomicLong> findings = new ConcurrentHashMap<>();

    private FuzzRun(String name, Bystander bystander, Duration baselineSlowest) {
        this.name = name;
        this.bystander = bystander;
        this.baselineSlowest = baselineSlowest;
        this.bound = Duration.ofMillis(Math.max(FLOOR_MS, baselineSlowest.toMillis() * SLOWDOWN));
        this.beside = new Thread(this::bystanderLoop, name + "-bystander");
        beside.setDaemon(true);
    }

    /** Times the bystander's baseline (it must succeed), then starts it beside the fuzzer. */
    public static FuzzRun start(String name, Bystander bystander) {
        long slowest = 0;
        for (int i = 0; i < BASELINE_ROUNDS; i++) {
            long t0 = System.nanoTime();
            try {
                bystander.round();
            } catch (Exception e) {
                throw new AssertionError("the bystander's baseline round failed, before any fuzzing", e);
            }
            slowest = Math.max(slowest, System.nanoTime() - t0);
        }
        FuzzRun run = new FuzzRun(name, bystander, Duration.ofNanos(slowest));
        run.beside.start();
        return run;
    }

    private void bystanderLoop() {
        while (running) {
            long t0 = System.nanoTime();
            try {
                bystander.round();
                long took = System.nanoTime() - t0;
                roundNanos.add(took);
                if (took > bound.toNanos()) {
                    bystanderFailure.compareAndSet(null, new AssertionError("the bystander's round took "
                            + took / 1_000_000 + " ms, over its bound of " + bound.toMillis() + " ms (baseline slowest "
                            + baselineSlowest.toMillis() + " ms)"));
                }
            } catch (Exception | AssertionError e) {
                if (running) {
                    bystanderFailure.compareAndSet(null, new AssertionError("the bystander was not served", e));
                }
            }
            try {
                Thread.sleep(BYSTANDER_PAUSE_MS); // its pace: a person's, not a load generator's
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Call first in every input. Allows this test's connections (Jazzer's SSRF detector, loaded with the fuzzing
     * agent once the fuzz test starts, refuses every connect otherwise; not callable earlier, as in a
     * {@code @BeforeAll}), and fails (at the current input, so the fuzzer reports it) if the bystander was not
     * served in time.
     */
    public void checkBystander() {
        if (!networkAllowed) {
            com.code_intelligence.jazzer.api.BugDetectors.allowNetworkConnections();
            networkAllowed = true;
        }
        AssertionError failure = bystanderFailure.get();
        if (failure != null) {
            throw failure;
        }
    }

    /** Sends one generated request, judges its answer, counts it. */
    public void http(FuzzRequest request, URL base) {
        judged("HTTP ", () -> {
            RawRequest.Answer answer;
            try {
                answer = request.send(base, ANSWER_TIMEOUT);
            } catch (RawRequest.ConnectionEnded ended) {
                return FuzzVerdict.judgeNoAnswer(request, ended);
            } catch (AssertionError hang) {
                throw new AssertionError(hang.getMessage() + ", to\n" + request, hang);
            }
            return FuzzVerdict.judge(request, answer);
        });
    }

    /** Writes generated frames on an open WebSocket, judges the server's answer, counts it. */
    public void frames(RawWebSocket socket, FuzzFrames.Input input) {
        judged("WebSocket ", () -> FrameVerdict.exchange(socket, input));
    }

    /**
     * Counts the verdict's outcome. A finding (an {@link AssertionError}) ends the run at once, as Jazzer does, unless
     * {@code -Dfuzz.survey=true}: then each kind of finding (its first line) is counted, its first example printed,
     * and the run goes on; {@link #finish()} fails if there was any. For a first look at a module, not for CI.
     */
    private void judged(String channel, java.util.function.Supplier<String> verdict) {
        long t0 = System.nanoTime();
        try {
            String outcome = channel + verdict.get();
            long took = System.nanoTime() - t0;
            if (took > slowestInput.get()) {
                slowestInput.set(took);
                slowestOutcome = outcome;
            }
            count(outcome);
        } catch (AssertionError finding) {
            if (!SURVEY) {
                throw finding;
            }
            String kind = channel + finding.getMessage().lines().findFirst().orElse("").replaceAll("\\d{4,}", "N");
            if (findings.computeIfAbsent(kind, k -> new AtomicLong()).getAndIncrement() == 0) {
                System.out.println("FINDING " + finding.getMessage());
            }
            count(channel + "FINDING");
        }
    }

    /** Counts one input with its outcome, for inputs a module judges itself. */
    public void count(String outcome) {
        inputs.incrementAndGet();
        outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    /** The longest a bystander's round may take. */
    public Duration bound() {
        return bound;
    }

    /**
     * Ends a fuzz class in its {@code @AfterAll}: {@link #finish()} on {@code run}, which fails when the run found a
     * problem, and then, however that ended, closes what the class opened, in order; a null was never opened.
     */
    public static void finish(FuzzRun run, AutoCloseable... opened) throws Exception {
        try {
            if (run == null) {
                throw new AssertionError("the fuzz run did not start");
            }
            run.finish();
        } finally {
            for (AutoCloseable resource : opened) {
                if (resource != null) {
                    resource.close();
                }
            }
        }
    }

    /** Stops the bystander, prints the summary, and fails if the run was too small or the bystander was not served. */
    public void finish() {
        running = false;
        beside.interrupt();
        System.out.println(summary());
        System.out.println(table());
        checkBystander();
        if (!findings.isEmpty()) {
            throw new AssertionError("findings (-Dfuzz.survey=true), by kind: " + findings);
        }
        if (inputs.get() < MIN_INPUTS) {
            throw new AssertionError("only " + inputs.get() + " inputs ran (at least " + MIN_INPUTS
                    + "): the fuzz harness is broken, or JAZZER_FUZZ is not set (then @FuzzTest only replays seeds)");
        }
        if (roundNanos.isEmpty()) {
            throw new AssertionError("the bystander ran no round beside the fuzzer");
        }
    }

    /** One line: inputs, duration, outcomes, the bystander's rounds. */
    public String summary() {
        return "fuzz " + name + ": " + inputs.get() + " inputs in " + elapsed().toSeconds() + " s; " + outcomes()
                + "; slowest input " + slowestInput.get() / 1_000_000 + " ms (" + slowestOutcome + ")"
                + "; bystander: " + roundNanos.size() + " rounds, slowest " + slowestRound() + " ms (baseline slowest "
                + baselineSlowest.toMillis() + " ms, bound " + bound.toMillis() + " ms)";
    }

    /** The run as Markdown table rows, for a module's measured/*.md file. */
    public String table() {
        return "| inputs | duration | answers | bystander rounds | its slowest (baseline) |\n|---|---|---|---|---|\n| "
                + String.format("%,d", inputs.get()) + " | " + elapsed().toSeconds() + " s | " + outcomes() + " | "
                + roundNanos.size() + " | " + slowestRound() + " ms (" + baselineSlowest.toMillis() + " ms) |";
    }

    private String outcomes() {
        return new TreeMap<>(outcomes).entrySet().stream()
                .map(e -> e.getKey() + " × " + String.format("%,d", e.getValue().get()))
                .collect(Collectors.joining(", "));
    }

    private long slowestRound() {
        synchronized (roundNanos) {
            return roundNanos.stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000;
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
