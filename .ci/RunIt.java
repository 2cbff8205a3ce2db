import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CI: does what each module README's "Run it" tells a learner to do, exactly as printed, from this
 * clone. Every {@code payara-micro:start} command of the section is started (each as in a terminal of
 * its own, in order, each waited for until its page answers), every {@code curl} line of the section
 * runs after them, then the learner's step the README describes (sign in and chat, submit tasks, publish
 * an event, place an order). Each line of a "What you will see" log block must then appear in a log of
 * the module's processes, a {@code $ command} shown there must print what the README shows, and the
 * processes keep their runtime folders in the module's target, not in the system's temp folder. What the
 * demo declared in the broker's default vhost is deleted afterwards.
 * Run with a JDK 21+ from the course folder: {@code java .ci/RunIt.java [module...]}.
 */
public class RunIt {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Duration BOOT = Duration.ofSeconds(300);
    static final Duration MARKERS = Duration.ofSeconds(90);
    /** Ids, hashes and timings change from run to run; everything else in a marker is compared verbatim. */
    static final Pattern VARIABLE = Pattern.compile("[0-9a-f]{8}(?:-[0-9a-z]+)*|\\d+");

    public static void main(String[] args) throws Exception {
        List<String> modules = args.length > 0 ? List.of(args)
                : List.of("01-websocket-chat", "02-rabbitmq-worker-queue", "03-routing", "04-combined");
        for (String module : modules) {
            long started = System.nanoTime();
            new RunIt(module).check();
            System.out.printf("%s: Run it as printed, OK in %d s%n", module,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        }
    }

    final String module;
    final String readme;
    final List<Process> servers = new ArrayList<>();
    final List<Path> logs = new ArrayList<>();
    String lastOutput = "";

    RunIt(String module) throws IOException {
        this.module = module;
        this.readme = Files.readString(ROOT.resolve(module).resolve("README.md"));
    }

    void check() throws Exception {
        Broker before = Broker.snapshot();
        try {
            String runIt = section("Run it");
            for (String command : commands(runIt)) {
                if (command.contains("payara-micro:start")) {
                    start(command);
                }
            }
            for (String command : commands(runIt)) {
                if (command.startsWith("curl ")) {
                    shell(command.replaceAll("<[^>]*Location[^>]*>", location()));
                }
            }
            learnerStep();
            String seen = section("What you will see");
            checkMarkers(seen);
            checkShownCommands(seen);
        } finally {
            stopAll();
            Broker.snapshot().deleteWhatIsNewSince(before);
        }
    }

    /** The README's section under {@code ## <title>}, up to the next {@code ## } heading. */
    String section(String title) {
        int start = readme.indexOf("\n## " + title);
        if (start < 0) {
            fail("README has no section '## " + title + "'");
        }
        int end = readme.indexOf("\n## ", start + 4);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** Every fenced code block of a section. */
    static List<String> blocks(String section) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^```[a-z]*\\n(.*?)^```", Pattern.DOTALL).matcher(section);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** The commands of a section's code blocks, continuation lines joined, comments left out. */
    static List<String> commands(String section) {
        List<String> commands = new ArrayList<>();
        for (String block : blocks(section)) {
            for (String line : block.replace("\\\n", " ").split("\n")) {
                String command = line.strip().replaceAll(" {2,}", " ");
                if (!command.isEmpty() && !command.startsWith("#")) {
                    commands.add(command);
                }
            }
        }
        return commands;
    }

    /** Starts a command as in a terminal of its own, from the course folder, and waits for its page. */
    void start(String command) throws Exception {
        Matcher port = Pattern.compile("-Ddemo\\.port=(\\d+)").matcher(command);
        int httpPort = port.find() ? Integer.parseInt(port.group(1)) : defaultPort();
        Path log = ROOT.resolve(module).resolve("target").resolve("run-it-" + (servers.size() + 1) + ".log");
        Files.createDirectories(log.getParent());
        System.out.println("$ " + command + "    (log: " + ROOT.relativize(log) + ")");
        // setsid: a process group of its own, so stopping it reaches Maven and the Payara Micro it forked.
        Process process = new ProcessBuilder("setsid", "bash", "-c", command).directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        servers.add(process);
        logs.add(log);
        URI page = URI.create("http://localhost:" + httpPort + "/");
        await("the page " + page + " to answer 200", BOOT, () -> {
            if (!process.isAlive()) {
                fail("'" + command + "' ended with " + process.exitValue() + "; see " + log);
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
        // The demo's runtime folder is in the module's target, never in the system's temp folder (.ci/run checks that).
        try (Stream<Path> target = Files.list(ROOT.resolve(module).resolve("target"))) {
            if (target.noneMatch(p -> p.getFileName().toString().startsWith("payaramicro-rt"))) {
                fail("'" + command + "' runs, but its Payara Micro runtime folder is not in " + module + "/target");
            }
        }
    }

    int defaultPort() throws IOException {
        Matcher m = Pattern.compile("<demo\\.port>(\\d+)</demo\\.port>")
                .matcher(Files.readString(ROOT.resolve(module).resolve("pom.xml")));
        if (!m.find()) {
            fail(module + "/pom.xml has no demo.port");
        }
        return Integer.parseInt(m.group(1));
    }

    /** Runs a client command as printed; it must succeed. */
    String shell(String command) throws Exception {
        System.out.println("$ " + command);
        Process process = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start(); // curl prints a progress meter there
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail("'" + command + "' failed:\n" + output);
        }
        System.out.println(output.strip());
        lastOutput = output;
        return output;
    }

    /** The id in the Location header the previous command printed, for a README's {@code <id from the Location header>}. */
    String location() {
        Matcher m = Pattern.compile("(?im)^Location: \\S*/([^/\\s]+)\\s*$").matcher(lastOutput);
        return m.find() ? m.group(1) : "no-location-printed";
    }

    /** What the README tells the learner to do once the servers run; it makes the log markers appear. */
    void learnerStep() throws Exception {
        switch (module) {
            case "01-websocket-chat" -> {
                // "sign in with two names, and chat", then one tab closes
                Socket alice = Socket.open("8081", "/chat/support", signIn("8081", "alice"));
                Socket bob = Socket.open("8081", "/chat/support", signIn("8081", "bob"));
                alice.await("\"joined\"");
                bob.send("{\"type\":\"say\",\"text\":\"hello from the Run it check\"}");
                alice.await("hello from the Run it check");
                bob.close();
                alice.await("\"left\"");
                alice.close();
            }
            case "02-rabbitmq-worker-queue" -> {
                // "reports alternate between w1 and w2 ... a task with failAttempts 99 is dead-lettered"
                for (int i = 1; i <= 2; i++) {
                    post("8082", "/api/tasks", "{\"type\":\"report\",\"orderId\":\"A-100" + i + "\"}");
                }
                post("8082", "/api/tasks", "{\"type\":\"email\",\"orderId\":\"A-1009\",\"to\":\"ada@example.com\","
                        + "\"simulate\":{\"failAttempts\":99}}");
            }
            case "03-routing" -> {
                // "Publishing {...} gives": the event the README names, posted as the page's form does
                Matcher event = Pattern.compile("Publishing `(\\{[^`]*\\})`").matcher(readme);
                if (!event.find()) {
                    fail("03's README no longer says which event it publishes");
                }
                post("8083", "/api/orders/events", event.group(1));
            }
            case "04-combined" -> {
                // "sign in as ... the demo customers", with ada's password from the README's table; order the
                // poster to be asked a question, and answer it
                Socket ada = Socket.open("8084", "/orders", signIn("8084", "ada", demoPassword("ada")));
                ada.await("\"welcome\"");
                // the page makes the order id, a UUID per click (the README's contract)
                ada.send("{\"type\":\"place\",\"orderId\":\"" + java.util.UUID.randomUUID() + "\",\"item\":\"poster\",\"payment\":\"tok_visa\",\"correlationId\":\"9f1c2e4a-demo-0001\"}");
                String asked = ada.await("\"stage\":\"backordered\"");
                Matcher order = Pattern.compile("\"orderId\":\"([^\"]+)\"").matcher(asked);
                order.find();
                ada.send("{\"type\":\"answer\",\"orderId\":\"" + order.group(1)
                        + "\",\"choice\":\"accept\",\"correlationId\":\"9f1c2e4a-demo-0001\"}");
                ada.await("\"stage\":\"shipped\"");
                ada.close();
            }
            default -> fail("no learner step for " + module);
        }
    }

    /** A demo customer's password, as the README's table of demo customers prints it: {@code | `ada` | `…` |}. */
    String demoPassword(String name) {
        Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(name) + "` \\| `([^`]+)` \\|").matcher(readme);
        if (!row.find()) {
            fail("README lists no demo customer '" + name + "' with a password");
        }
        return row.group(1);
    }

    static String signIn(String port, String name) throws Exception {
        return signIn(port, name, null);
    }

    static String signIn(String port, String name, String password) throws Exception {
        String body = password == null ? "{\"name\":\"" + name + "\"}"
                : "{\"name\":\"" + name + "\",\"password\":\"" + password + "\"}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/session"))
                .header("Content-Type", "application/json").header("Origin", "http://localhost:" + port)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            fail("sign-in as " + name + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    static void post(String port, String path, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.println("POST " + path + " " + json + " -> " + response.statusCode());
        if (response.statusCode() / 100 != 2) {
            fail("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Every line of each log block (all lines start with " [") appears in a log of the module's processes. */
    void checkMarkers(String section) throws Exception {
        List<Pattern> markers = new ArrayList<>();
        for (String block : blocks(section)) {
            List<String> lines = block.lines().filter(l -> !l.isBlank()).toList();
            if (!lines.isEmpty() && lines.stream().allMatch(l -> l.startsWith(" ["))) {
                lines.forEach(l -> markers.add(verbatimExceptVariables(l)));
            }
        }
        if (markers.isEmpty()) {
            fail("'What you will see' shows no log markers");
        }
        List<Pattern> missing = new CopyOnWriteArrayList<>(markers);
        try {
            await("every log marker the README shows", MARKERS, () -> {
                String all = allLogs();
                missing.removeIf(p -> p.matcher(all).find());
                return missing.isEmpty();
            });
        } catch (AssertionError e) {
            fail("these markers of 'What you will see' never appeared in " + logs + ":\n"
                    + missing.stream().map(Pattern::pattern).collect(Collectors.joining("\n")));
        }
        System.out.println("all " + markers.size() + " log markers of 'What you will see' appeared");
    }

    /** A {@code $ command} shown under "What you will see" prints what the README shows under it. */
    void checkShownCommands(String section) throws Exception {
        for (String block : blocks(section)) {
            if (!block.startsWith("$ ")) {
                continue;
            }
            String[] parts = block.replace("\\\n", " ").split("\n", 2);
            String shown = parts.length > 1 ? parts[1].strip() : "";
            String printed = shell(parts[0].substring(2).strip().replaceAll(" {2,}", " ")).strip();
            if (!verbatimExceptVariables(shown).matcher(printed).matches()) {
                fail("'" + parts[0] + "' printed\n" + printed + "\nbut the README shows\n" + shown);
            }
        }
    }

    static Pattern verbatimExceptVariables(String text) {
        StringBuilder regex = new StringBuilder();
        Matcher m = VARIABLE.matcher(text);
        int from = 0;
        while (m.find()) {
            regex.append(Pattern.quote(text.substring(from, m.start()))).append("[0-9a-zA-Z-]+");
            from = m.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(text.substring(from))).toString());
    }

    String allLogs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path log : logs) {
            all.append(Files.readString(log)).append('\n');
        }
        return all.toString();
    }

    /** As Ctrl+C in each terminal, last started first: Payara Micro undeploys and closes. */
    void stopAll() throws Exception {
        List<ProcessHandle> all = new ArrayList<>();
        for (int i = servers.size() - 1; i >= 0; i--) {
            Process process = servers.get(i);
            all.addAll(process.descendants().toList());
            new ProcessBuilder("kill", "-TERM", "--", "-" + process.pid()).start().waitFor();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid()).start().waitFor();
                fail("a server of " + module + " did not stop within 90 s of SIGTERM");
            }
        }
        // the forked Payara Micro may outlive Maven by a moment
        await("the processes to end", Duration.ofSeconds(60), () -> all.stream().noneMatch(ProcessHandle::isAlive));
    }

    /** A condition that may throw, for example an HTTP call. */
    interface Condition {
        boolean holds() throws Exception;
    }

    static void await(String what, Duration atMost, Condition condition) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + atMost.toSeconds() + " s for " + what);
            }
            Thread.sleep(250); // between two polls of the condition itself
        }
    }

    static void fail(String why) {
        throw new AssertionError(why);
    }

    /** A WebSocket as the page opens it: with the session cookie and the page's own Origin; frames are kept. */
    record Socket(WebSocket socket, List<String> frames) {

        static Socket open(String port, String path, String cookie) throws Exception {
            List<String> frames = new CopyOnWriteArrayList<>();
            WebSocket socket = HTTP.newWebSocketBuilder().header("Cookie", cookie).header("Origin", "http://localhost:" + port)
                    .buildAsync(URI.create("ws://localhost:" + port + path), new WebSocket.Listener() {
                        final StringBuilder partial = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                frames.add(partial.toString());
                                partial.setLength(0);
                            }
                            webSocket.request(1);
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);
            return new Socket(socket, frames);
        }

        String await(String text) throws Exception {
            RunIt.await("a frame with " + text, Duration.ofSeconds(60), () -> frames.stream().anyMatch(f -> f.contains(text)));
            return frames.stream().filter(f -> f.contains(text)).findFirst().orElseThrow();
        }

        void send(String frame) throws Exception {
            socket.sendText(frame, true).get(10, TimeUnit.SECONDS);
        }

        void close() throws Exception {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        }
    }

    /** What the demo declares in the broker's default vhost, through the management API, to remove it again. */
    record Broker(Set<String> queues, Set<String> exchanges, Set<String> policies, Set<String> users) {

        static final String API = "http://localhost:15672/api/";

        static Broker snapshot() throws Exception {
            return new Broker(names("queues/%2F"), names("exchanges/%2F"), names("policies/%2F"), names("users"));
        }

        static Set<String> names(String path) throws Exception {
            String body = call("GET", path).body();
            Matcher m = Pattern.compile("\"name\":\"([^\"]*)\"").matcher(body);
            Set<String> names = new java.util.TreeSet<>();
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }

        void deleteWhatIsNewSince(Broker before) throws Exception {
            Broker now = this;
            for (String q : minus(now.queues, before.queues)) {
                call("DELETE", "queues/%2F/" + encode(q));
            }
            for (String x : minus(now.exchanges, before.exchanges)) {
                call("DELETE", "exchanges/%2F/" + encode(x));
            }
            for (String p : minus(now.policies, before.policies)) {
                call("DELETE", "policies/%2F/" + encode(p));
            }
            for (String u : minus(now.users, before.users)) {
                call("DELETE", "users/" + encode(u));
            }
        }

        static Set<String> minus(Set<String> a, Set<String> b) {
            return a.stream().filter(x -> !x.isEmpty() && !b.contains(x)).collect(Collectors.toSet());
        }

        static String encode(String name) {
            return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        }

        static HttpResponse<String> call(String method, String path) throws Exception {
            String auth = java.util.Base64.getEncoder().encodeToString("guest:guest".getBytes());
            return HTTP.send(HttpRequest.newBuilder(URI.create(API + path)).header("Authorization", "Basic " + auth)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
