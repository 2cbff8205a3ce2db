package shop.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exercise 2's solution, plugged into the chat: keeps one {@link RoomNote} per room, applies
 * {@code note-edit} frames to it, and sends each joining member the current note.
 */
@ApplicationScoped
public class RoomNotes implements FrameHandler, JoinHook {

    private final Map<String, RoomNote> notes = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return "note-edit";
    }

    @Override
    public void handle(JsonObject frame, Member from, Room room) {
        ClientFrame.Invalid refusal = NoteEdit.refusal(frame);
        if (refusal != null) {
            from.send(Frames.error(refusal.code(), refusal.message()));
            return;
        }
        note(room).edit(from, NoteEdit.of(frame), room.members());
    }

    @Override
    public void joined(Member member, Room room) {
        member.send(note(room).frame());
    }

    private RoomNote note(Room room) {
        return notes.computeIfAbsent(room.name(), RoomNote::new);
    }
}
