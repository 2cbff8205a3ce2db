package shop.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import java.time.Instant;

/**
 * Exercise 1's solution, plugged into the chat: takes {@code whisper} frames and delivers each as a
 * {@link PrivateMessage} within its room.
 *
 * <p>A whisper is not added to the room's history, because the history is public to the room: it is
 * replayed to every member who joins and served by the polling endpoint. Its id comes from the room's
 * sequence, under the room's lock, so it is in order with the messages around it.
 */
@ApplicationScoped
public class Whispers implements FrameHandler {

    @Override
    public String type() {
        return "whisper";
    }

    @Override
    public void handle(JsonObject frame, Member from, Room room) {
        ClientFrame.Invalid refusal = Whisper.refusal(frame);
        if (refusal != null) {
            from.send(Frames.error(refusal.code(), refusal.message()));
            return;
        }
        Whisper whisper = Whisper.of(frame);
        new PrivateMessage(room.nextId(), room.name(), from.name(), whisper.to(), whisper.text(), Instant.now())
                .deliver(from, room.members());
    }
}
