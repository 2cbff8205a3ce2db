package shop.chat;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Set;

/**
 * A frame from the browser, parsed and validated: either something to do, or the reason it was refused.
 * Nothing the client sends reaches a room before it has passed through here.
 */
public sealed interface ClientFrame permits ClientFrame.Say, ClientFrame.Other, ClientFrame.Invalid {

    int MAX_TEXT = 2000;

    /** {@code {"type":"say","text":"..."}}: post a message to the room. */
    record Say(String text) implements ClientFrame {
    }

    /** A frame of any other type, for a {@link FrameHandler} added from outside the lesson to validate, if there is one. */
    record Other(String type, JsonObject frame) implements ClientFrame {
    }

    /** A frame the server refuses; the sender gets an {@code error} event with this code and message. */
    record Invalid(String code, String message) implements ClientFrame {
    }

    static ClientFrame parse(String raw, int maxDepth) {
        if (JsonInput.deeperThan(raw, maxDepth)) {
            return new Invalid("too-deep", "A frame nests at most " + maxDepth + " levels of JSON.");
        }
        JsonValue value;
        try {
            value = JsonInput.read(raw);
        } catch (JsonException e) {
            return new Invalid("malformed-json", "The frame is not valid JSON.");
        }
        if (JsonInput.hasLoneSurrogate(raw) || JsonInput.hasLoneSurrogate(value)) {
            // refused whole, never stored: no socket could carry it to the room as UTF-8
            return new Invalid("invalid-unicode", "The frame holds a lone UTF-16 surrogate; send valid Unicode text.");
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            return new Invalid("malformed-json", "A frame is a JSON object with a \"type\" field.");
        }
        JsonObject frame = value.asJsonObject();
        if (!(frame.get("type") instanceof JsonString type)) {
            return new Invalid("missing-field", "Field \"type\" is required and must be a string.");
        }
        return type.getString().equals("say") ? say(frame) : new Other(type.getString(), frame);
    }

    private static ClientFrame say(JsonObject frame) {
        ClientFrame unknown = unknownField(frame, Set.of("type", "text"));
        if (unknown != null) {
            return unknown;
        }
        Invalid invalid = invalidText(frame);
        return invalid != null ? invalid : new Say(frame.getString("text"));
    }

    /** Why a frame's message "text" is refused, or null if it is fine. */
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

    /** A client's string, cut to 40 characters, to quote back in an error message. */
    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
