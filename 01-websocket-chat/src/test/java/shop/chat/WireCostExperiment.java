package shop.chat;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.CpuUsage;
import course.testkit.ExperimentProperties;
import course.testkit.FullJit;
import course.testkit.LatencyRecorder;
import course.testkit.Machine;
import course.testkit.Pacer;
import course.testkit.Percentiles;
import course.testkit.ResultTable;
import course.testkit.SendTimes;
import course.testkit.TcpProxy;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The article's "smaller frames than HTTP" and "low latency" claims, measured: the same chat messages
 * reach one reader by WebSocket push and another by HTTP polling every second (the baseline), each
 * through its own byte-counting proxy. Prints a table; asserts only what is deterministic.
 */
@ExtendWith(FullJit.class) // at full size its server boots with the full JIT: its speed is what it measures
class WireCostExperiment extends DeployedChat {

    private static final String ROOM = "wire-cost";

    @Test
    void aPushedMessageCostsFewerBytesOnTheWireThanAPolledOne() throws Exception {
        int seconds = ExperimentProperties.integer("experiment.seconds", 10);
        double rate = ExperimentProperties.decimal("experiment.wire-rate", 2);
        int pollMillis = ExperimentProperties.integer("experiment.poll-millis", 1000);
        int total = (int) Math.round(seconds * rate);
        SendTimes sendTimes = new SendTimes(total);
        LatencyRecorder pushLatency = new LatencyRecorder();
        LatencyRecorder pollLatency = new LatencyRecorder();
        LatencyRecorder sendersOwn = new LatencyRecorder(); // the senders' copies; not reported
        ChatApi direct = new ChatApi(base);
        List<NioMember> senderMembers = new ArrayList<>();

        ExecutorService handshakes = Executors.newSingleThreadExecutor();
        NioReaders readers = new NioReaders(1);
        try (TcpProxy pushWire = TcpProxy.to(base.getHost(), base.getPort());
             TcpProxy pollWire = TcpProxy.to(base.getHost(), base.getPort())) {
            // The senders join first and directly: no presence frame reaches the readers while bytes are counted.
            for (int i = 0; i < RoomSenders.neededFor(rate); i++) {
                senderMembers.add(NioMember.join(handshakes, readers, direct.ws(ROOM), direct.signIn("wire-sender-" + i),
                        direct.origin(), sendTimes, sendersOwn).get(30, SECONDS));
            }
            RoomSenders senders = new RoomSenders(senderMembers);

            // WebSocket reader, through its proxy; the Origin names the proxy, which is the host it connects to.
            ChatApi viaPushWire = new ChatApi(throughProxy(pushWire));
            String pushCookie = viaPushWire.signIn("wire-pushed");
            long pushSignIn = bytes(pushWire);
            pushWire.resetCounters();
            try (NioMember pushed = NioMember.join(handshakes, readers, viaPushWire.ws(ROOM), pushCookie,
                    viaPushWire.origin(), sendTimes, pushLatency).get(30, SECONDS)) {
                await().atMost(10, SECONDS).until(() -> pushed.presenceFrames() >= 1);
                long pushHandshake = bytes(pushWire);

                ChatApi viaPollWire = new ChatApi(throughProxy(pollWire));
                String pollCookie = viaPollWire.signIn("wire-polled");
                long pollSignIn = bytes(pollWire);

                try (Poller polled = new Poller(viaPollWire.uri("/api/rooms/" + ROOM + "/messages"), pollCookie,
                        sendTimes, pollLatency)) {
                    // First a quiet spell: what staying up to date costs while nobody says anything.
                    pushWire.resetCounters();
                    pollWire.resetCounters();
                    long quietStart = System.nanoTime();
                    polled.start(Duration.ofMillis(pollMillis));
                    await().atMost(Duration.ofMillis(10L * pollMillis + 10_000)).until(() -> polled.polls() >= 5);
                    double quietSeconds = (System.nanoTime() - quietStart) / 1e9;
                    long pushQuiet = bytes(pushWire);
                    long pollQuiet = bytes(pollWire);
                    int quietPolls = polled.polls();

                    pushWire.resetCounters();
                    pollWire.resetCounters();
                    polled.resetCounts();
                    CpuUsage cpuBefore = CpuUsage.now();

                    // Poisson arrivals: evenly spaced sends would hit the same phase of the 1 s poll every time.
                    Pacer pacer = Pacer.poisson(rate, 42);
                    for (int seq = 0; seq < total; seq++) {
                        pacer.awaitNext();
                        senders.say(seq);
                    }
                    await().atMost(seconds + 20L, SECONDS).pollInterval(Duration.ofMillis(20)).until(() ->
                            pushed.distinctReceived() + polled.distinctReceived() >= 2 * total
                                    || pushed.closeCode() != -1 || polled.failure() != null);
                    long pushDown = pushWire.bytesDown();
                    long pushUp = pushWire.bytesUp();
                    long pollDown = pollWire.bytesDown();
                    long pollUp = pollWire.bytesUp();
                    String cpu = CpuUsage.now().since(cpuBefore);
                    polled.stop();

                    Percentiles push = pushLatency.percentiles();
                    Percentiles poll = pollLatency.percentiles();
                    double pushPerMessage = (double) (pushDown + pushUp) / total;
                    double pollPerMessage = (double) (pollDown + pollUp) / total;
                    ResultTable.of(String.format(Locale.ROOT, "WireCostExperiment: %d chat messages in %d s "
                                            + "(random arrivals, mean %.1f/s), one reader pushed by WebSocket, one polling "
                                            + "every %d ms", total, seconds, rate, pollMillis),
                                    "per chat message delivered", "WebSocket push", "HTTP polling (baseline)")
                            .row("messages delivered", pushed.distinctReceived() + " / " + total,
                                    polled.distinctReceived() + " / " + total)
                            .row("bytes on the wire per message (both directions)", bytes(pushPerMessage),
                                    bytes(pollPerMessage))
                            .row("  server to client", bytes((double) pushDown / total), bytes((double) pollDown / total))
                            .row("  client to server", bytes((double) pushUp / total), bytes((double) pollUp / total))
                            .row("  the message's JSON itself", bytes(pushed.averageMessageChars()),
                                    bytes(pushed.averageMessageChars()))
                            .row("requests", "none: the server pushes",
                                    polled.polls() + " polls, " + polled.emptyPolls() + " empty")
                            .row("latency p50", push.formatMillis(50), poll.formatMillis(50))
                            .row("latency p95", push.formatMillis(95), poll.formatMillis(95))
                            .row("latency p99", push.formatMillis(99), poll.formatMillis(99))
                            .row("latency max", push.formatMillis(100), poll.formatMillis(100))
                            .row("one empty poll (request + response)", "", bytes((double) pollQuiet / quietPolls))
                            .row("quiet room: bytes per second with nothing to deliver",
                                    bytes(pushQuiet / quietSeconds) + " (heartbeat only)",
                                    bytes((double) pollQuiet / quietPolls * 1000 / pollMillis))
                            .row("once per client, not above: sign-in", bytes(pushSignIn), bytes(pollSignIn))
                            .row("once per client, not above: WebSocket handshake + join", bytes(pushHandshake),
                                    "none (its one keep-alive connection is above)")
                            .note(String.format(Locale.ROOT, "WebSocket uses %.1fx fewer bytes per message than "
                                    + "polling at this rate.", pollPerMessage / pushPerMessage))
                            .note("Bytes: counted at the socket by one TCP proxy per reader, HTTP headers and WebSocket "
                                    + "framing included, TCP/IP headers not; the WebSocket figure includes the server's "
                                    + "heartbeat pings and the client's pongs. The JDK HttpClient sends few headers; "
                                    + "a browser's polls carry more (User-Agent, Accept-*, Referer).")
                            .note("Latency: sender and readers share one JVM clock (System.nanoTime); a polled message's "
                                    + "latency ends when the poll that carried it returned.")
                            .note("CPU during the run: " + cpu)
                            .note("Machine: " + Machine.describe())
                            .print();

                    pushed.assertHealthy();
                    assertThat(polled.failure()).as("polling failed").isNull();
                    assertThat(pushed.closeCode()).as("the WebSocket reader's connection closed").isEqualTo(-1);
                    assertThat(pushed.errors()).as("error frames, last: %s", pushed.lastError()).isZero();
                    assertThat(pushed.distinctReceived()).as("messages pushed").isEqualTo(total);
                    assertThat(polled.distinctReceived()).as("messages polled").isEqualTo(total);
                    assertThat(pushed.duplicates()).as("duplicates pushed").isZero();
                    assertThat(polled.duplicates()).as("duplicates polled").isZero();
                    assertThat(pushPerMessage).as("WebSocket bytes per message, against polling")
                            .isLessThan(pollPerMessage);
                }
            }
        } finally {
            senderMembers.forEach(NioMember::close);
            readers.close();
            handshakes.shutdownNow();
        }
    }

    private static URL throughProxy(TcpProxy proxy) throws MalformedURLException {
        return URI.create("http://localhost:" + proxy.port() + "/").toURL();
    }

    private static long bytes(TcpProxy proxy) {
        return proxy.bytesUp() + proxy.bytesDown();
    }

    private static String bytes(double value) {
        return String.format(Locale.ROOT, "%.0f B", value);
    }

    /** The baseline reader: asks for new messages on a fixed beat over plain HTTP, as a page without WebSocket would. */
    private static final class Poller implements AutoCloseable {

        // HTTP/1.1 with keep-alive, like a browser's polling: one connection, reused for every poll.
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor();
        private final URI messages;
        private final String cookie;
        private final SendTimes sendTimes;
        private final LatencyRecorder latencies;
        private final BitSet received = new BitSet();
        private long after;
        private int polls;
        private int emptyPolls;
        private int duplicates;
        private Throwable failure;

        Poller(URI messages, String cookie, SendTimes sendTimes, LatencyRecorder latencies) {
            this.messages = messages;
            this.cookie = cookie;
            this.sendTimes = sendTimes;
            this.latencies = latencies;
        }

        void start(Duration interval) {
            beat.scheduleAtFixedRate(this::poll, 0, interval.toMillis(), MILLISECONDS);
        }

        /** Stops the beat; a poll in flight finishes first. */
        void stop() throws InterruptedException {
            beat.shutdown();
            if (!beat.awaitTermination(10, SECONDS)) {
                throw new AssertionError("a poll did not finish within 10 s");
            }
        }

        private synchronized void poll() {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(messages + "?after=" + after))
                        .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
                long returned = System.nanoTime();
                if (response.statusCode() != 200) {
                    throw new AssertionError("poll answered " + response.statusCode() + ": " + response.body());
                }
                JsonArray array;
                try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
                    array = reader.readArray();
                }
                polls++;
                if (array.isEmpty()) {
                    emptyPolls++;
                }
                for (JsonObject message : array.getValuesAs(JsonObject.class)) {
                    after = Math.max(after, message.getJsonNumber("id").longValue());
                    int seq = Integer.parseInt(message.getString("text").substring(NioMember.TEXT_PREFIX.length()));
                    if (received.get(seq)) {
                        duplicates++;
                    } else {
                        received.set(seq);
                        latencies.record(sendTimes.latency(seq, returned));
                    }
                }
            } catch (Throwable e) {
                // kept, not thrown: an exception would silently cancel the schedule; the test rethrows it
                if (failure == null) {
                    failure = e;
                }
            }
        }

        /** Starts counting polls afresh, after the quiet spell; what was received is kept. */
        synchronized void resetCounts() {
            polls = 0;
            emptyPolls = 0;
        }

        synchronized int distinctReceived() {
            return received.cardinality();
        }

        synchronized int duplicates() {
            return duplicates;
        }

        synchronized int polls() {
            return polls;
        }

        synchronized int emptyPolls() {
            return emptyPolls;
        }

        synchronized Throwable failure() {
            return failure;
        }

        @Override
        public void close() {
            beat.shutdownNow();
            http.close();
        }
    }
}
