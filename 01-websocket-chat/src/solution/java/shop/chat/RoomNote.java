package shop.chat;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.logging.Logger;

/**
 * Exercise 2's solution: a room's shared plain-text note, edited live by every member, whose conflicts
 * are settled by version numbers (optimistic concurrency) instead of locks held by clients.
 *
 * <p>Not thread-safe on its own: {@link RoomNotes} calls it only under the room's lock, which also orders
 * its frames with every other send of the room (a joiner sees each version once, on joining or live).
 */
final class RoomNote {

    private static final Logger LOG = Logger.getLogger(RoomNote.class.getName());

    private final String room;
    private long version;        // 0: nobody has written yet
    private String text = "";
    private String by;           // null until the first edit

    RoomNote(String room) {
        this.room = room;
    }

    // tag::note-edit[]
    /**
     * Applies an edit made on the current version and shows the new version to everyone in the room;
     * an edit made on any other version changes nothing, and only its sender hears why.
     */
    void edit(Member editor, NoteEdit edit, Collection<Member> members) {
        if (edit.version() != version) {
            // Last-writer-wins would silently drop someone's work; this way the loser sees the
            // winning text and can merge, then retry on the new version.
            editor.send(Frames.error("note-conflict", "Your edit is based on version " + edit.version()
                    + ", but the note is at version " + version + "; it was not applied. "
                    + "The current note follows: merge and send it again with version " + version + "."));
            editor.send(frame());
            return;
        }
        version++;
        text = edit.text();
        by = editor.name();
        String frame = frame();
        members.forEach(m -> m.send(frame)); // the editor too: this is the confirmation of its edit
        LOG.info(" [x] " + by + " edited the note of #" + room + " (version " + version + ")");
    }
    // end::note-edit[]

    /** The current note as a {@code note} frame, also sent to each member as it joins. */
    String frame() {
        return Json.createObjectBuilder()
                .add("type", "note")
                .add("version", version)
                .add("text", text)
                .add("by", by == null ? JsonValue.NULL : Json.createValue(by)) // null while nobody has edited it
                .build().toString();
    }
}
