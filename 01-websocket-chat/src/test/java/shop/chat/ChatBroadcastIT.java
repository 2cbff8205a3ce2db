package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;

import course.testkit.RecordingWebSocket;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The chat's core promise: a message reaches every member of its room, and no one outside it. */
class ChatBroadcastIT extends DeployedChat {

    @Test
    void aMessageReachesEveryMemberOfTheRoomAndNoOneElse() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket alice = chat.join("alice", "broadcast");
             RecordingWebSocket bob = chat.join("bob", "broadcast");
             RecordingWebSocket carol = chat.join("carol", "elsewhere")) {
            alice.awaitFrame(f -> isPresence(f, "joined", "bob"));

            alice.send("{\"type\":\"say\",\"text\":\"hello, bob\"}");

            JsonObject atBob = bob.awaitFrame(DeployedChat::isMessage);
            JsonObject atAlice = alice.awaitFrame(DeployedChat::isMessage);
            assertThat(atBob).isEqualTo(atAlice);
            assertThat(atBob.getString("from")).isEqualTo("alice");
            assertThat(atBob.getString("room")).isEqualTo("broadcast");
            assertThat(atBob.getString("text")).isEqualTo("hello, bob");
            assertThat(atBob.getJsonNumber("id").longValue()).isPositive();
            assertThat(java.time.Instant.parse(atBob.getString("at"))).isNotNull();

            // carol sends in her own room; once her message is back, anything of alice's would have arrived before it
            carol.send("{\"type\":\"say\",\"text\":\"anyone?\"}");
            carol.awaitFrame(DeployedChat::isMessage);
            assertThat(carol.json()).filteredOn(DeployedChat::isMessage)
                    .extracting(f -> f.getString("text")).containsExactly("anyone?");
            assertThat(bob.json()).filteredOn(DeployedChat::isMessage)
                    .extracting(f -> f.getString("text")).doesNotContain("anyone?");
        }
    }

    @Test
    void aLateJoinerFirstGetsTheLastFiftyMessagesInOrderThenPresence() {
        ChatApi chat = new ChatApi(base);
        // three senders, so no one passes the flood limit of 20 messages per 10 s
        try (RecordingWebSocket dave = chat.join("dave", "history");
             RecordingWebSocket dan = chat.join("dan", "history");
             RecordingWebSocket dora = chat.join("dora", "history")) {
            List<RecordingWebSocket> senders = List.of(dave, dan, dora);
            IntStream.rangeClosed(1, 55).forEach(i -> {
                RecordingWebSocket sender = senders.get((i - 1) / 20);
                sender.send("{\"type\":\"say\",\"text\":\"m" + i + "\"}");
                sender.awaitFrame(f -> isMessage(f) && f.getString("text").equals("m" + i)); // keeps the order
            });

            try (RecordingWebSocket erin = chat.join("erin", "history")) {
                erin.awaitFrame(f -> isPresence(f, "joined", "erin"));
                List<JsonObject> frames = erin.json();
                List<String> texts = frames.subList(0, 50).stream().map(f -> f.getString("text")).toList();
                assertThat(texts).containsExactlyElementsOf(IntStream.rangeClosed(6, 55).mapToObj(i -> "m" + i).toList());
                assertThat(frames.get(50).getString("type")).isEqualTo("presence");
            }
        }
    }

    @Test
    void theJoinerGetsWhoIsOnlineAndTheOthersOnlyTheNameAndTheCount() {
        ChatApi chat = new ChatApi(base);
        try (RecordingWebSocket frank = chat.join("frank", "presence")) {
            JsonObject own = frank.awaitFrame(f -> isPresence(f, "joined", "frank"));
            assertThat(online(own)).containsExactly("frank");
            assertThat(own.getInt("count")).isEqualTo(1);

            RecordingWebSocket grace = chat.join("grace", "presence");
            JsonObject graceJoined = grace.awaitFrame(f -> isPresence(f, "joined", "grace"));
            assertThat(online(graceJoined)).containsExactly("frank", "grace");
            JsonObject heardByFrank = frank.awaitFrame(f -> isPresence(f, "joined", "grace"));
            assertThat(heardByFrank).isEqualTo(Json.createObjectBuilder().add("type", "presence").add("event", "joined")
                    .add("user", "grace").add("count", 2).build()); // the delta only: no list

            grace.close();
            JsonObject left = frank.awaitFrame(f -> isPresence(f, "left", "grace"));
            assertThat(left.getInt("count")).isEqualTo(1);
            assertThat(left.containsKey("online")).isFalse();
        }
    }

    @Test
    void aSecondTabOfSomeoneOnlineIsNoNewsAndOnlyTheLastTabClosingIsAGoodbye() {
        ChatApi chat = new ChatApi(base);
        String hugo = chat.signIn("hugo");
        try (RecordingWebSocket ida = chat.join("ida", "two-tabs")) {
            RecordingWebSocket firstTab = chat.join("two-tabs", chat.as(hugo));
            ida.awaitFrame(f -> isPresence(f, "joined", "hugo"));
            RecordingWebSocket secondTab = chat.join("two-tabs", chat.as(hugo));
            assertThat(online(secondTab.awaitFrame(f -> isPresence(f, "joined", "hugo")))).containsExactly("hugo", "ida");

            secondTab.close();
            firstTab.close();
            ida.awaitFrame(f -> isPresence(f, "left", "hugo"));
            // once ida's own message is back, any later presence frame about hugo's tabs would have arrived before it
            ida.send("{\"type\":\"say\",\"text\":\"after hugo\"}");
            ida.awaitFrame(DeployedChat::isMessage);

            assertThat(ida.json()).filteredOn(f -> "presence".equals(f.getString("type")))
                    .extracting(f -> f.getString("event") + " " + f.getString("user") + " " + f.getInt("count"))
                    .containsExactly("joined ida 1", "joined hugo 2", "left hugo 1");
        }
    }
}
