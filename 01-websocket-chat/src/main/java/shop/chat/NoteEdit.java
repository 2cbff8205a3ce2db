package shop.chat;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.Set;

/**
 * Exercise solution: the {@code {"type":"note-edit","version":N,"text":"..."}} client frame, which
 * replaces the room's note if {@code N} is still its current version.
 */
public record NoteEdit(long version, String text) implements ClientFrame {

    static final int MAX_NOTE = 10_000;

    static ClientFrame parse(JsonObject frame) {
        ClientFrame unknown = ClientFrame.unknownField(frame, Set.of("type", "version", "text"));
        if (unknown != null) {
            return unknown;
        }
        long version;
        try {
            if (!(frame.get("version") instanceof JsonNumber n) || n.longValueExact() < 0) {
                return invalidVersion();
            }
            version = n.longValueExact();
        } catch (ArithmeticException notAWholeNumber) { // 1.5, or beyond a long
            return invalidVersion();
        }
        if (!(frame.get("text") instanceof JsonString text)) {
            return new Invalid("missing-field", "Field \"text\" is required and must be a string (it may be empty).");
        }
        String s = text.getString();
        if (s.codePointCount(0, s.length()) > MAX_NOTE) {
            return new Invalid("text-too-long", "A note is at most " + MAX_NOTE + " characters; it was not changed.");
        }
        return new NoteEdit(version, s);
    }

    private static Invalid invalidVersion() {
        return new Invalid("invalid-version", "Field \"version\" is required: the whole number (0 or more) "
                + "of the note version your edit is based on.");
    }
}
