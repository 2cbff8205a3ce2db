package shop.chat;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.CpuUsage;
import course.testkit.ExperimentProperties;
import course.testkit.FlightRecording;
import course.testkit.FullJit;
import course.testkit.LatencyRecorder;
import course.testkit.Machine;
import course.testkit.Pacer;
import course.testkit.Percentiles;
import course.testkit.ResultTable;
import course.testkit.SendTimes;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.spi.JsonProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The article's "it scales by how many open connections a server can hold", measured: many members in
 * one room, a steady rate of broadcasts, and the latency of every single delivery. Prints a table with
 * the targets next to the measured values; asserts only that every member got every message once.
 */
@ExtendWith(FullJit.class) // at full size its server boots with the full JIT: its speed is what it measures
class FanOutExperiment extends DeployedChat {

    private static final String ROOM = "fan-out";
    private static final JsonProvider JSON = JsonProvider.provider();
    /**
     * Members per reader thread ({@link NioReaders}): one thread reads a room of 1,000 with CPU to spare; a second
     * spreads a bigger room's reading when the box has the cores.
     */
    private static final int MEMBERS_PER_READER = 2_500;
    /**
     * Handshakes in flight. Kept below the server's HTTP worker count on purpose: every join sends presence
     * under the room's lock, and a worker waiting for that lock reads no pongs meanwhile, so a wide join storm
     * on a busy box gets members closed by the heartbeat (seen with 32 in flight, when each join sent the whole
     * online list to everyone). This experiment measures the steady broadcast, not the storm.
     */
    private static final int JOINS_IN_FLIGHT = 4;
    /**
     * Members join in waves of this many, and every member has heard of every join so far before the next
     * wave starts. Without the waves a big room's presence backlog piles up in every member's socket, each
     * server ping waits behind it, and on a loaded 2-core box the test's 2 s heartbeat closed a healthy member
     * while the room filled (seen on CI with the full-list contract). The waves keep each backlog to a wave's
     * worth of frames.
     */
    private static final int JOIN_WAVE = 25;
    /** The joins measured alone, each into a settled room: the one that makes the room this many members. */
    private static final List<Integer> JOIN_COST_AT = List.of(100, 1_000, 5_000);

    @Test
    void everyMemberOfABigRoomGetsEveryBroadcastExactlyOnce() throws Exception {
        int members = ExperimentProperties.integer("experiment.members", 200);
        int seconds = ExperimentProperties.integer("experiment.seconds", 10);
        double rate = ExperimentProperties.decimal("experiment.rate", 10);
        int total = (int) Math.round(seconds * rate);
        int senderCount = RoomSenders.neededFor(rate);
        assertThat(members).as("experiment.members must include the %d senders", senderCount)
                .isGreaterThanOrEqualTo(senderCount);

        SendTimes sendTimes = new SendTimes(total);
        LatencyRecorder latencies = new LatencyRecorder();
        ChatApi chat = new ChatApi(base);
        Client client = new Client(Executors.newFixedThreadPool(JOINS_IN_FLIGHT),
                new NioReaders((members + MEMBERS_PER_READER - 1) / MEMBERS_PER_READER));
        List<NioMember> room = new ArrayList<>();
        try {
            long joinStart = System.nanoTime();
            List<JoinCost> joinCosts = join(chat, client, signIn(chat, members), sendTimes, latencies, room);
            Joined joined = new Joined((System.nanoTime() - joinStart) / 1e9, sum(room, NioMember::presenceChars),
                    room.stream().filter(m -> m.closeCode() != -1).count());

            long pingsBefore = sum(room, NioMember::pings);
            CpuUsage cpuBefore = CpuUsage.now();
            Broadcast broadcast;
            double deliverSeconds;
            String cpu;
            // -Dexperiment.profile=true: where each side's CPU went while broadcasting (testkit FlightRecording)
            try (FlightRecording profile = FlightRecording.ifAsked("FanOutExperiment", server().process())) {
                broadcast = broadcast(new RoomSenders(room.subList(0, senderCount)), total, rate);
                try {
                    await("every member receives every message sent").atMost(Duration.ofSeconds(30 + seconds))
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> room.stream().allMatch(m -> m.isDone(broadcast.sent())));
                } catch (ConditionTimeoutException e) {
                    // a stretch size the server cannot keep up with: print what did arrive, then fail on the deliveries
                }
                deliverSeconds = (System.nanoTime() - broadcast.startNanos()) / 1e9;
                cpu = CpuUsage.now().since(cpuBefore);
            }
            double pingsPerMember = (double) (sum(room, NioMember::pings) - pingsBefore) / members;

            long expected = (long) total * members;
            long delivered = sum(room, NioMember::distinctReceived);
            long duplicates = sum(room, NioMember::duplicates);
            long errors = sum(room, NioMember::errors);
            long closed = room.stream().filter(m -> m.closeCode() != -1).count();
            Percentiles latency = latencies.percentiles();
            ResultTable table = ResultTable.of(String.format(Locale.ROOT, "FanOutExperiment: one room, %d members, "
                                    + "%.0f broadcasts/s for %d s (%d messages from %d senders, %d deliveries expected)",
                            members, rate, seconds, total, senderCount, expected),
                            "measure", "measured", "target")
                    .row("messages sent", broadcast.sent() + " / " + total
                            + (broadcast.failure() == null ? "" : " (" + broadcast.failure() + ")"), total)
                    .row("deliveries", String.format(Locale.ROOT, "%d / %d (%.3f%%)", delivered, expected,
                            100.0 * delivered / expected), "100%")
                    .row("duplicates", duplicates, "0")
                    .row("error frames", errors == 0 ? "0" : errors + " (" + distinct(room, NioMember::lastError) + ")", "0")
                    .row("connections closed by the server", closed == 0 ? "0" : closed + ", " + joined.closed()
                            + " of them while joining (" + distinct(room, NioMember::closeReason) + ")", "0")
                    .row("latency p50, send to member", latency.formatMillis(50), "")
                    .row("latency p95", latency.formatMillis(95), "")
                    .row("latency p99", latency.formatMillis(99), "<= 500 ms")
                    .row("latency max", latency.formatMillis(100), "")
                    .row("offered rate achieved", String.format(Locale.ROOT, "%.2f msg/s", broadcast.achievedRate()),
                            String.format(Locale.ROOT, "%.2f msg/s", rate))
                    .row("deliveries per second", String.format(Locale.ROOT, "%.0f", delivered / deliverSeconds),
                            String.format(Locale.ROOT, "%.0f", rate * members))
                    .row("sign in + join + presence settled", String.format(Locale.ROOT, "%.1f s", joined.seconds()), "")
                    .row("presence frames received while joining",
                            String.format(Locale.ROOT, "%.1f MB", joined.presenceChars() / 1e6), "")
                    .note("Latency: System.nanoTime in one JVM, from just before a sender writes its frame to the "
                            + "socket read that brought each member the frame's first byte; every delivery is one sample.")
                    .note("CPU while broadcasting: " + cpu + ". The test JVM's clients compete with the server "
                            + "for the same cores.")
                    .note(String.format(Locale.ROOT, "Clients: %d WebSockets on java.nio, read by %d thread(s) "
                            + "(NioMember, NioReaders). "
                            + "Heartbeat pings received per member while broadcasting: %.1f in %.0f s (pings and "
                            + "pongs are part of the load).", members, client.readers().threads(), pingsPerMember, deliverSeconds))
                    .note("Machine: " + Machine.describe());
            if (distinct(room, NioMember::closeReason).contains("No answer to ping")) {
                table.note("Closed for a missing pong: the server's ping waits behind its own backlog to that member, "
                        + "so a heartbeat shorter than the backlog closes healthy clients. Try the production heartbeat: "
                        + "-Dchat.heartbeat-seconds=20");
            }
            table.print();
            joinCostTable(joinCosts).print();

            room.forEach(NioMember::assertHealthy);
            assertThat(closed).as("connections the server closed").isZero();
            assertThat(errors).as("error frames").isZero();
            assertThat(duplicates).as("duplicate deliveries").isZero();
            assertThat(broadcast.failure()).as("a sender failed").isNull();
            assertThat(delivered).as("deliveries").isEqualTo(expected);
        } finally {
            room.forEach(NioMember::close);
            client.close();
        }
    }

    /** The test JVM's side: a few threads for the blocking handshakes, a few to read every member's socket. */
    private record Client(ExecutorService handshakes, NioReaders readers) implements AutoCloseable {
        @Override
        public void close() {
            handshakes.shutdownNow();
            readers.close();
        }
    }

    /** How the room filled up: time to sign in and join everyone, and what telling them who is online cost. */
    private record Joined(double seconds, long presenceChars, long closed) {
    }

    /**
     * One join measured alone: the room it made ({@code members}, the joiner included), the presence frames and
     * JSON characters (ASCII, so bytes) it sent, what the full-list contract would have sent for the same join,
     * and the time from the joiner's handshake until the last member had heard.
     */
    private record JoinCost(int members, long frames, long chars, long fullListChars, double millis) {
    }

    /** What the paced sending did; a failed send stops it, and the table says why. */
    private record Broadcast(long startNanos, int sent, double achievedRate, String failure) {
    }

    /** Sends {@code total} numbered messages at a steady rate, taking turns among the senders. */
    private static Broadcast broadcast(RoomSenders senders, int total, double rate) {
        long start = System.nanoTime();
        Pacer pacer = Pacer.fixedRate(rate);
        int sent = 0;
        String failure = null;
        for (int seq = 0; seq < total; seq++) {
            pacer.awaitNext();
            try {
                senders.say(seq);
                sent++;
            } catch (RuntimeException e) {
                failure = String.valueOf(e.getCause() != null ? e.getCause() : e);
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Broadcast(start, sent, sent > 1 ? (sent - 1) / seconds : 0, failure);
    }

    /** Signs in one session per member, a few at a time; short names keep the presence lists small. */
    private static List<String> signIn(ChatApi chat, int members) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<String>> cookies = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                String name = "f" + i;
                cookies.add(pool.submit(() -> chat.signIn(name)));
            }
            List<String> result = new ArrayList<>();
            for (Future<String> cookie : cookies) {
                result.add(cookie.get(60, SECONDS));
            }
            return result;
        }
    }

    /**
     * Opens every member's WebSocket into {@code room}, in waves of {@link #JOIN_WAVE}, a bounded number of
     * handshakes at a time, and lets each wave's presence settle before the next. The joins that make the room
     * {@link #JOIN_COST_AT} members are made alone, into a settled room, and measured.
     */
    private static List<JoinCost> join(ChatApi chat, Client client, List<String> cookies, SendTimes sendTimes,
                                       LatencyRecorder latencies, List<NioMember> room) throws Exception {
        Semaphore inFlight = new Semaphore(JOINS_IN_FLIGHT);
        List<JoinCost> costs = new ArrayList<>();
        int from = 0;
        while (from < cookies.size()) {
            if (JOIN_COST_AT.contains(from + 1)) {
                costs.add(joinAlone(chat, client, cookies.get(from), sendTimes, latencies, room));
                from++;
                continue;
            }
            int to = Math.min(Math.min(from + JOIN_WAVE, cookies.size()), nextMeasuredJoin(from));
            List<CompletableFuture<NioMember>> wave = new ArrayList<>();
            for (int i = from; i < to; i++) {
                inFlight.acquire();
                wave.add(NioMember.join(client.handshakes(), client.readers(), chat.ws(ROOM), cookies.get(i), chat.origin(),
                        sendTimes, latencies).whenComplete((member, error) -> inFlight.release()));
            }
            for (CompletableFuture<NioMember> member : wave) {
                room.add(member.get(60, SECONDS));
            }
            awaitPresenceSettled(room);
            from = to;
        }
        return costs;
    }

    /** The index of the next member whose join is measured alone, or past the end if none is left. */
    private static int nextMeasuredJoin(int from) {
        return JOIN_COST_AT.stream().filter(n -> n - 1 >= from).findFirst().map(n -> n - 1).orElse(Integer.MAX_VALUE);
    }

    /** Joins member {@code f<k>} into a settled room of k and measures what telling the room cost. */
    private static JoinCost joinAlone(ChatApi chat, Client client, String cookie, SendTimes sendTimes,
                                      LatencyRecorder latencies, List<NioMember> room) throws Exception {
        long framesBefore = sum(room, NioMember::presenceFrames);
        long charsBefore = sum(room, NioMember::presenceChars);
        long start = System.nanoTime();
        room.add(NioMember.join(client.handshakes(), client.readers(), chat.ws(ROOM), cookie, chat.origin(), sendTimes, latencies).get(60, SECONDS));
        awaitPresenceSettled(room);
        long lastHeard = room.stream().mapToLong(NioMember::lastPresenceNanos).max().orElseThrow();
        int members = room.size();
        return new JoinCost(members, sum(room, NioMember::presenceFrames) - framesBefore,
                sum(room, NioMember::presenceChars) - charsBefore,
                (long) members * fullListFrame(members).length(), (lastHeard - start) / 1e6);
    }

    /**
     * The frame every member got at this join under the full-list contract (before presence became a change):
     * the joiner's name and all {@code members} names, f0 to f(members - 1), to each of them.
     */
    private static String fullListFrame(int members) {
        JsonArrayBuilder names = JSON.createArrayBuilder();
        IntStream.range(0, members).forEach(i -> names.add("f" + i));
        return JSON.createObjectBuilder().add("type", "presence").add("event", "joined")
                .add("user", "f" + (members - 1)).add("online", names).build().toString();
    }

    private static ResultTable joinCostTable(List<JoinCost> costs) {
        ResultTable table = ResultTable.of("FanOutExperiment: the cost of one join, made alone into a settled room",
                "room after the join", "presence frames", "presence bytes sent", "the full-list contract's bytes",
                "handshake until every member has heard");
        costs.forEach(c -> table.row(String.format(Locale.ROOT, "%,d members", c.members()), c.frames(),
                bytes(c.chars()), bytes(c.fullListChars()), String.format(Locale.ROOT, "%.1f ms", c.millis())));
        return table.note("Bytes: the frames' JSON text, without the WebSocket framing (2-4 B a frame). The full-list "
                        + "contract's bytes are computed: the frame it sent, with every name in the room, times the "
                        + "members who got it.")
                .note(costs.isEmpty() ? "No join measured: a run measures the joins that make the room "
                        + JOIN_COST_AT + " members, as far as experiment.members reaches." : "Machine: " + Machine.describe());
    }

    private static String bytes(long count) {
        return count < 10_000 ? String.format(Locale.ROOT, "%,d B", count)
                : count < 1_000_000 ? String.format(Locale.ROOT, "%.1f KB", count / 1e3)
                : String.format(Locale.ROOT, "%,.1f MB", count / 1e6);
    }

    /**
     * Each join sends one presence frame to the joiner and, its name being new, one to every member already
     * in: with k members in, member i has heard k - i frames plus its own, so the room is settled (no presence
     * backlog left in any outbox) at k(k+1)/2 presence frames in all. The full-list contract sent as many
     * frames, each with the whole list, so the bound also leaves time for its k^3 bytes.
     */
    private static void awaitPresenceSettled(List<NioMember> room) {
        long k = room.size();
        await("every member hears of every join so far (" + k + " members)")
                .atMost(Duration.ofSeconds(60 + k * k / 10_000))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> sum(room, NioMember::presenceFrames) >= k * (k + 1) / 2 || anyClosed(room));
    }

    private static long sum(List<NioMember> room, ToLongFunction<NioMember> count) {
        return room.stream().mapToLong(count).sum();
    }

    /** Up to three distinct non-null values, for a table cell. */
    private static String distinct(List<NioMember> room, Function<NioMember, String> value) {
        return room.stream().map(value).filter(Objects::nonNull).distinct()
                .limit(3).collect(Collectors.joining("; "));
    }

    private static boolean anyClosed(List<NioMember> room) {
        return room.stream().anyMatch(m -> m.closeCode() != -1);
    }
}
