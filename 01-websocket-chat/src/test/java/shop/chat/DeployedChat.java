package shop.chat;

import course.testkit.SharedServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The base of every black-box test of this module: the module's real WAR runs on a real Payara Micro, and the test
 * drives it from outside as a user would. The server boots once for the whole test run and every class that extends
 * this one shares it, as the tests of one class always did: each test signs in its own names and uses its own rooms,
 * and closes its sockets. The server's limits per name (frames per 10 s, rooms per name) count across classes too,
 * so a class that sends bursts signs in names no other class uses (RoomNoteIT). That saves a boot (12-20 s on two cores) per class, which Arquillian's Payara Micro
 * container pays because it boots a server per deployment. A class whose lesson needs a server nobody used before
 * it (RoomLimitIT fills the server) registers one of its own under the same field name.
 */
abstract class DeployedChat {

    /** The chat as the tests configure it; {@link #settings()} says why each setting differs from production. */
    @RegisterExtension
    static final SharedServer CHAT = SharedServer.forTheRun("chat", "chat", DeployedChat::settings);

    /** The server's root URL, {@code http://localhost:<port>/}. */
    URL base;

    /** The server this class drives: the shared one, unless a class has one of its own. */
    SharedServer server() {
        return CHAT;
    }

    @BeforeEach
    void findTheServer() {
        base = server().url();
    }

    /**
     * The test server's settings. The experiments' full-size commands change some from the command line (see README,
     * Experiments), so each reads a system property first.
     */
    static Map<String, String> settings() {
        return Map.of(
                // A faster heartbeat than the default 20 s, so the dead-connection test takes seconds. Big experiments
                // set it back: -Dchat.heartbeat-seconds=20.
                "chat.heartbeat-seconds", System.getProperty("chat.heartbeat-seconds", "2"),
                // 40 rooms instead of 1,000, so the room-limit test reaches the limit quickly.
                "chat.max-rooms", System.getProperty("chat.max-rooms", "40"),
                // The sign-ins go to this test run's own folder (set in pom.xml), never the learner's.
                "chat.data-dir", System.getProperty("chat.test-data-dir", "target/test-data"),
                // Limits per client address: the tests' own address is a trusted proxy, so a test stands for another
                // client with an X-Forwarded-For header; without one it is the tests' load generator, which the
                // per-address limits leave out (the experiments open 200 to 5,000 connections from it).
                "chat.trusted-proxies", "127.0.0.1,0:0:0:0:0:0:0:1",
                "chat.unlimited-addresses", "127.0.0.1,0:0:0:0:0:0:0:1",
                // Empty rooms go after 3 s, swept every second, so the eviction test takes seconds.
                "chat.empty-room-seconds", "3",
                "chat.sweep-seconds", "1",
                // 1,500 sign-ins instead of 100,000, so the sign-in cap is reached in seconds (the full-size experiment
                // signs in 1,000). The 5,000-member stretch raises both caps from the command line:
                // -Dchat.max-sessions=6000 -Dchat.max-connections=6000.
                "chat.max-sessions", System.getProperty("chat.max-sessions", "1500"),
                "chat.max-connections", System.getProperty("chat.max-connections", "1500"));
    }

    static boolean isMessage(JsonObject frame) {
        return "message".equals(frame.getString("type"));
    }

    static boolean isPresence(JsonObject frame, String event, String user) {
        return "presence".equals(frame.getString("type")) && event.equals(frame.getString("event"))
                && user.equals(frame.getString("user"));
    }

    /** Who is online, from the presence frame a joiner gets (the others' presence frames carry no list). */
    static List<String> online(JsonObject presence) {
        return presence.getJsonArray("online").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
