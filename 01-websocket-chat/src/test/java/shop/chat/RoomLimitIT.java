package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import course.testkit.RecordingWebSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server holds a bounded number of rooms, so sign-ins cannot create rooms until memory runs out.
 * A class of its own, because rooms outlive their members: filling the server would break other tests.
 */
class RoomLimitIT extends DeployedChat {

    @Test
    void pastTheRoomLimitANewRoomIsRefusedWith1013AndExistingRoomsStillWork() {
        ChatApi chat = new ChatApi(base);
        Map<String, String> headers = Map.of("Cookie", chat.signIn("rita"), "Origin", chat.origin());
        // the test server allows 40 rooms (arquillian.xml); open new ones until one is refused
        int refusedCode = 0;
        int rooms = 0;
        while (refusedCode == 0 && rooms < 60) {
            rooms++;
            try (RecordingWebSocket visitor = chat.join("limit-" + rooms, headers)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> visitor.isClosed() || !visitor.frames().isEmpty());
                if (visitor.isClosed()) {
                    refusedCode = visitor.awaitClose(Duration.ofSeconds(1));
                    assertThat(visitor.closeReason()).contains("maximum number of rooms");
                }
            }
        }
        assertThat(refusedCode).isEqualTo(1013);
        assertThat(rooms).isEqualTo(41);

        try (RecordingWebSocket existing = chat.join("limit-1", headers)) {
            existing.awaitFrame(f -> isPresence(f, "joined", "rita"));
        }
    }
}
