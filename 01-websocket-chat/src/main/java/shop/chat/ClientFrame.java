package shop.chat;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Set;

/**
 * A frame from the browser, parsed and validated: either something to do, or the reason it was refused.
 * Nothing the client sends reaches a room before it has passed through here.
 */
public sealed interface ClientFrame permits ClientFrame.Say, ClientFrame.Invalid, Whisper, NoteEdit {

    int MAX_TEXT = 2000;

    /** {@code {"type":"say","text":"..."}}: post a message to the room. */
    record Say(String text) implements ClientFrame {
    }

    /** A frame the server refuses; the sender gets an {@code error} event with this code and message. */
    record Invalid(String code, String message) implements ClientFrame {
    }

    static ClientFrame parse(String raw) {
        JsonValue value;
        try (JsonReader reader = Json.createReader(new StringReader(raw))) {
            value = reader.readValue();
        } catch (JsonException e) {
            return new Invalid("malformed-json", "The frame is not valid JSON.");
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            return new Invalid("malformed-json", "A frame is a JSON object with a \"type\" field.");
        }
        JsonObject frame = value.asJsonObject();
        if (!(frame.get("type") instanceof JsonString type)) {
            return new Invalid("missing-field", "Field \"type\" is required and must be a string.");
        }
        return switch (type.getString()) {
            case "say" -> say(frame);
            case "whisper" -> Whisper.parse(frame);      // exercise 1: private messages
            case "note-edit" -> NoteEdit.parse(frame);   // exercise 2: the room's shared note
            default -> new Invalid("unknown-type", "Unknown frame type \"" + abbreviate(type.getString())
                    + "\"; the chat understands \"say\", \"whisper\" and \"note-edit\".");
        };
    }

    private static ClientFrame say(JsonObject frame) {
        ClientFrame unknown = unknownField(frame, Set.of("type", "text"));
        if (unknown != null) {
            return unknown;
        }
        Invalid invalid = invalidText(frame);
        return invalid != null ? invalid : new Say(frame.getString("text"));
    }

    /** Why a frame's message "text" is refused, or null if it is fine; a whisper's text follows the same rules. */
    static Invalid invalidText(JsonObject frame) {
        if (!(frame.get("text") instanceof JsonString text)) {
            return new Invalid("missing-field", "Field \"text\" is required and must be a string.");
        }
        String s = text.getString();
        if (s.isBlank()) {
            return new Invalid("empty-text", "A message needs at least one visible character.");
        }
        if (s.codePointCount(0, s.length()) > MAX_TEXT) {
            return new Invalid("text-too-long", "A message is at most " + MAX_TEXT + " characters.");
        }
        return null;
    }

    /** Unknown fields are refused, not ignored: a typo such as "txt" should not fail silently. */
    static ClientFrame unknownField(JsonObject frame, Set<String> known) {
        return frame.keySet().stream().filter(k -> !known.contains(k)).findFirst()
                .<ClientFrame>map(k -> new Invalid("unknown-field",
                        "Unknown field \"" + abbreviate(k) + "\" in a \"" + frame.getString("type") + "\" frame."))
                .orElse(null);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
