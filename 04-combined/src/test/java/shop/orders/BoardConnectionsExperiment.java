package shop.orders;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import course.testkit.ExperimentProperties;
import course.testkit.FullJit;
import course.testkit.Machine;
import course.testkit.RabbitVhost;
import course.testkit.ResultTable;
import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What one open board costs the broker: N Web-STOMP sessions as the board's user, each subscribed like the
 * page, and the broker's own numbers (management API) before and after; then one update's fan-out to all N.
 * CI size 50 sessions; -Dexperiment.board-connections=500 for more.
 */
@NeedsWebStomp
@ExtendWith(FullJit.class) // at full size its server boots with the full JIT: its speed is what it measures
@ResourceLock(NodeFailureIT.BUSY_MACHINE) // after failure lab 5, which runs beside the other classes
class BoardConnectionsExperiment extends DeployedShop {

    @Test
    void eachOpenBoardCostsTheBrokerAConnectionAQueueAndTheirProcesses() throws Exception {
        int n = ExperimentProperties.integer("experiment.board-connections", 50);
        int updates = ExperimentProperties.integer("experiment.board-updates", 100);
        JsonObject board = Json.parse(HttpClient.newHttpClient().send(HttpRequest.newBuilder(Customer.at(base, "api/board"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        JsonObject before = node();
        long memoryBefore = memory();
        List<StompSession> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                StompSession stomp = StompSession.connect(board.getString("url"), board.getString("vhost"),
                        board.getString("login"), board.getString("passcode"));
                sessions.add(stomp);
                stomp.awaitCommand("CONNECTED");
                stomp.send("SUBSCRIBE", Map.of("id", "board", "destination", board.getString("destination"), "receipt", "r"));
                stomp.awaitCommand("RECEIPT");
            }
            // The management API's lists and counters are refreshed every few seconds (the stats interval):
            // wait until they show every new session.
            await().atMost(Duration.ofSeconds(30)).until(() -> node().getInt("proc_used") - before.getInt("proc_used") >= n
                    && subscriptionQueues().stream().filter(q -> q.containsKey("memory")).count() == n
                    && boardConnections(board.getString("login")) == n);
            JsonObject after = node();
            long memoryAfter = memory();
            List<JsonObject> queues = subscriptionQueues();
            long queueMemory = queues.stream().mapToLong(q -> q.getJsonNumber("memory").longValue()).sum();
            long boardConnections = boardConnections(board.getString("login"));

            long start = System.nanoTime();
            try (Connection shop = shopConnection(); Channel channel = shop.createChannel()) {
                for (int i = 0; i < updates; i++) {
                    channel.basicPublish(OrderTopology.BOARD, "order.shipped", null, ("{\"order\":\"" + String.format(
                            Locale.ROOT, "%08d", i) + "\",\"stage\":\"shipped\",\"item\":\"mug\"}").getBytes(StandardCharsets.UTF_8));
                }
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> sessions.stream()
                    .allMatch(s -> s.frames().stream().filter(f -> f.command().equals("MESSAGE")).count() >= updates));
            double fanOutMs = (System.nanoTime() - start) / 1e6;

            int processes = after.getInt("proc_used") - before.getInt("proc_used");
            ResultTable.of(String.format(Locale.ROOT, "BoardConnectionsExperiment: %d open boards (Web-STOMP sessions "
                            + "as the board user, each subscribed to %s)", n, board.getString("destination")),
                            "what the broker holds", "total for " + n, "per board")
                    .row("connections of the board user (management API)", boardConnections, per(boardConnections, n))
                    .row("stomp-subscription-* queues", queues.size(), per(queues.size(), n))
                    .row("Erlang processes (node proc_used)", processes, per(processes, n))
                    .row("memory of the subscription queues' processes", kib(queueMemory), kib((double) queueMemory / n))
                    .row("connections' memory (connection_* of the node), after minus before", kib(memoryAfter - memoryBefore),
                            kib((double) (memoryAfter - memoryBefore) / n))
                    .row(updates + " board updates published once, delivered to every board", String.format(Locale.ROOT,
                            "%d messages in %.0f ms", (long) updates * n, fanOutMs), updates + " copies")
                    .note("Memory and process counts are the broker's own (GET /api/nodes/<node> and .../memory); the broker "
                            + "is shared with other builds, so the node-wide deltas (processes, connection memory) are approximate; "
                            + "the per-queue memory is not.")
                    .note("Machine: " + Machine.describe())
                    .print();

            assertThat(boardConnections).isEqualTo(n);
            assertThat(queues).hasSize(n);
        } finally {
            sessions.forEach(StompSession::close);
        }
    }

    private static List<JsonObject> subscriptionQueues() {
        return RabbitVhost.get("/api/queues/" + RabbitVhost.encode(RabbitVhost.name())).asJsonArray()
                .getValuesAs(JsonObject.class).stream().filter(q -> q.getString("name").startsWith("stomp-subscription-")).toList();
    }

    private static long boardConnections(String user) {
        return RabbitVhost.get("/api/vhosts/" + RabbitVhost.encode(RabbitVhost.name()) + "/connections").asJsonArray()
                .getValuesAs(JsonObject.class).stream().filter(c -> c.getString("user").equals(user)).count();
    }

    private static JsonObject node() {
        String name = RabbitVhost.get("/api/overview").asJsonObject().getString("node");
        return RabbitVhost.get("/api/nodes/" + RabbitVhost.encode(name)).asJsonObject();
    }

    private static long memory() {
        String name = RabbitVhost.get("/api/overview").asJsonObject().getString("node");
        return RabbitVhost.get("/api/nodes/" + RabbitVhost.encode(name) + "/memory").asJsonObject()
                .getJsonObject("memory").entrySet().stream().filter(e -> e.getKey().startsWith("connection_"))
                .mapToLong(e -> ((jakarta.json.JsonNumber) e.getValue()).longValue()).sum();
    }

    private static String per(long total, int n) {
        return String.format(Locale.ROOT, "%.1f", (double) total / n);
    }

    private static String kib(double bytes) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024);
    }

    private static Connection shopConnection() throws Exception {
        return RabbitVhost.amqpFactory().newConnection("board-experiment");
    }
}
