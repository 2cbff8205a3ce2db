package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.RecordingWebSocket;
import course.testkit.SharedServer;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server holds a bounded number of rooms, each name and address a bounded number of them, and empty rooms
 * go, so sign-ins cannot create rooms until memory runs out, nor lock others out of the built-in room.
 * A class of its own, because filling the server would break other tests; in order, because the first test
 * fills it and then waits until its rooms are evicted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoomLimitIT extends DeployedChat {

    /** A server of this class's own, stopped after it: filling it would break the classes that share the other. */
    @RegisterExtension
    static final SharedServer CHAT = SharedServer.forOneClass("chat-room-limit", "chat", DeployedChat::settings);

    @Override
    SharedServer server() {
        return CHAT;
    }

    @Test
    @Order(1)
    void pastTheRoomLimitANewRoomIsRefusedWith1013TheBuiltInRoomStillOpensAndEmptyRoomsAreEvicted() {
        ChatApi chat = new ChatApi(base);
        // the test server allows 40 rooms (DeployedChat.settings), and a name may open 10: four names fill it
        List<RecordingWebSocket> visitors = new ArrayList<>();
        try {
            for (int i = 1; i <= 40; i++) {
                RecordingWebSocket visitor = chat.join("limit-" + i,
                        Map.of("Cookie", chat.signIn("rita" + (i - 1) / 10), "Origin", chat.origin()));
                visitors.add(visitor);
                visitor.awaitFrame(f -> "presence".equals(f.getString("type")));
            }
            visitors.get(0).send("{\"type\":\"say\",\"text\":\"first room\"}");
            visitors.get(39).send("{\"type\":\"say\",\"text\":\"last room\"}");
            visitors.get(39).awaitFrame(DeployedChat::isMessage);

            try (RecordingWebSocket refused = chat.join("sam", "limit-41")) {
                assertThat(refused.awaitClose(Duration.ofSeconds(10))).isEqualTo(1013);
                assertThat(refused.closeReason()).contains("maximum number of rooms");
            }
            try (RecordingWebSocket support = chat.join("sam", "support")) { // built in: never refused for others' rooms
                support.awaitFrame(f -> isPresence(f, "joined", "sam"));
            }
            try (RecordingWebSocket existing = chat.join("limit-1", Map.of("Cookie", chat.signIn("tess"), "Origin", chat.origin()))) {
                existing.awaitFrame(f -> isPresence(f, "joined", "tess"));
            }
        } finally {
            visitors.forEach(RecordingWebSocket::close);
        }

        // empty for 3 s (the test server's chat.empty-room-seconds), the rooms go, their history with them
        String cookie = chat.signIn("ursula");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(chat.get("/api/rooms/limit-1/messages?after=0", cookie).body()).isEqualTo("[]");
            assertThat(chat.get("/api/rooms/limit-40/messages?after=0", cookie).body()).isEqualTo("[]");
        });
        try (RecordingWebSocket fresh = chat.join("ursula", "limit-41")) {
            fresh.awaitFrame(f -> isPresence(f, "joined", "ursula"));
        }
    }

    @Test
    @Order(2)
    void pastTenRoomsOneNameOrAddressGetsTooManyRoomsAndOthersStillOpenRooms() {
        ChatApi chat = new ChatApi(base);
        Map<String, String> una = Map.of("Cookie", chat.signIn("una"), "Origin", chat.origin());
        List<RecordingWebSocket> open = new ArrayList<>();
        try {
            for (int i = 1; i <= 10; i++) {
                open.add(chat.join("una-" + i, una));
                open.get(i - 1).awaitFrame(f -> isPresence(f, "joined", "una"));
            }

            // a second sign-in under the same name counts as the same user
            try (RecordingWebSocket eleventh = chat.join("una-11",
                    Map.of("Cookie", chat.signIn("una"), "Origin", chat.origin()))) {
                JsonObject error = eleventh.awaitFrame(f -> "error".equals(f.getString("type")));
                assertThat(error.getString("code")).isEqualTo("too-many-rooms");
                assertThat(eleventh.awaitClose(Duration.ofSeconds(10))).isEqualTo(1008);
            }
            // joining a room that exists is always fine
            try (RecordingWebSocket existing = chat.join("una-1", una)) {
                existing.awaitFrame(f -> isPresence(f, "joined", "una"));
            }
            // ten names from one address are one user too
            String address = "203.0.113.99";
            for (int i = 1; i <= 10; i++) {
                open.add(chat.join("from-address-" + i, chat.from(address, chat.signIn("v" + i, address))));
                open.get(open.size() - 1).awaitFrame(f -> "presence".equals(f.getString("type")));
            }
            try (RecordingWebSocket eleventh = chat.join("from-address-11", chat.from(address, chat.signIn("v11", address)))) {
                assertThat(eleventh.awaitClose(Duration.ofSeconds(10))).isEqualTo(1008);
                assertThat(eleventh.closeReason()).contains("rooms that still exist");
            }
            // someone else still opens a new room
            try (RecordingWebSocket vic = chat.join("vic", "vics-room")) {
                vic.awaitFrame(f -> isPresence(f, "joined", "vic"));
            }
        } finally {
            open.forEach(RecordingWebSocket::close);
        }
    }

    @Test
    @Order(3)
    void pastTheSignInCapASignInAnswers503AndWhoIsSignedInChatsOn() throws Exception {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket wendy = chat.join("wendy", "cap-watch")) {
            wendy.awaitFrame(f -> isPresence(f, "joined", "wendy"));

            // the test server holds 1,500 sign-ins (DeployedChat.settings); fill it, eight at a time
            List<String> cookies = new CopyOnWriteArrayList<>();
            HttpResponse<String> refused = null;
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                for (int batch = 0; batch < 200 && refused == null; batch++) {
                    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        answers.add(pool.submit(() -> chat.post("/api/session", "{\"name\":\"filler\"}")));
                    }
                    for (Future<HttpResponse<String>> answer : answers) {
                        HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
                        if (response.statusCode() == 201) {
                            String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
                            cookies.add(setCookie.substring(0, setCookie.indexOf(';')));
                        } else {
                            refused = response;
                        }
                    }
                }
                try {
                    check(refused, wendy);
                } finally {
                    // sign-outs free the places again; they must, or this run's later servers, which load the same
                    // sign-ins file, would start full
                    List<Future<?>> signOuts = cookies.stream().<Future<?>>map(
                            cookie -> pool.submit(() -> chat.send(HttpRequest.newBuilder(
                                    chat.uri("/api/session")).header("Cookie", cookie).DELETE().build()))).toList();
                    for (Future<?> signOut : signOuts) {
                        signOut.get(30, TimeUnit.SECONDS);
                    }
                }
            }
            assertThat(chat.signIn("xavier")).startsWith("chat_session=");
        }
    }

    /** The refused sign-in is a clear 503, and who was signed in before chats on. */
    private static void check(HttpResponse<String> refused, RecordingWebSocket wendy) {
        assertThat(refused).isNotNull();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("\"type\":\"/problems/server-full\"");

        wendy.send("{\"type\":\"say\",\"text\":\"still here\"}");
        wendy.awaitFrame(f -> isMessage(f) && f.getString("text").equals("still here"));
    }
}
