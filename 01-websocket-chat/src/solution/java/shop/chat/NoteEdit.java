package shop.chat;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.Set;

/**
 * Exercise 2's solution: the {@code {"type":"note-edit","version":N,"text":"..."}} client frame, which
 * replaces the room's note if {@code N} is still its current version.
 */
public record NoteEdit(long version, String text) {

    static final int MAX_NOTE = 10_000;

    /** Why {@code frame} is refused, or null if it is a valid edit. */
    static ClientFrame.Invalid refusal(JsonObject frame) {
        if (ClientFrame.unknownField(frame, Set.of("type", "version", "text")) instanceof ClientFrame.Invalid unknown) {
            return unknown;
        }
        try {
            if (!(frame.get("version") instanceof JsonNumber n) || n.longValueExact() < 0) {
                return invalidVersion();
            }
        } catch (ArithmeticException notAWholeNumber) { // 1.5, or beyond a long
            return invalidVersion();
        }
        if (!(frame.get("text") instanceof JsonString text)) {
            return new ClientFrame.Invalid("missing-field",
                    "Field \"text\" is required and must be a string (it may be empty).");
        }
        String s = text.getString();
        if (s.codePointCount(0, s.length()) > MAX_NOTE) {
            return new ClientFrame.Invalid("text-too-long", "A note is at most " + MAX_NOTE + " characters; it was not changed.");
        }
        return null;
    }

    /** The edit in a frame that {@link #refusal} let through. */
    static NoteEdit of(JsonObject frame) {
        return new NoteEdit(frame.getJsonNumber("version").longValueExact(), frame.getString("text"));
    }

    private static ClientFrame.Invalid invalidVersion() {
        return new ClientFrame.Invalid("invalid-version", "Field \"version\" is required: the whole number (0 or more) "
                + "of the note version your edit is based on.");
    }
}
