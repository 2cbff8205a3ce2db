package shop.chat;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.Set;

/**
 * Exercise solution: the {@code {"type":"whisper","to":"bob","text":"..."}} client frame, validated like
 * {@code say} plus a recipient.
 */
public record Whisper(String to, String text) implements ClientFrame {

    static ClientFrame parse(JsonObject frame) {
        ClientFrame unknown = ClientFrame.unknownField(frame, Set.of("type", "to", "text"));
        if (unknown != null) {
            return unknown;
        }
        if (!(frame.get("to") instanceof JsonString to) || to.getString().isBlank()) {
            return new Invalid("missing-field", "Field \"to\" is required: the name of someone in this room.");
        }
        if (!SignIns.VALID_NAME.matcher(to.getString()).matches()) {
            // No one can be signed in under such a name, and the raw value is not echoed back.
            return new Invalid("unknown-recipient", "No one can have that name: a name is 1-32 characters "
                    + "of letters, digits, '_' or '-'; nothing was sent.");
        }
        Invalid invalid = ClientFrame.invalidText(frame);
        return invalid != null ? invalid : new Whisper(to.getString(), frame.getString("text"));
    }
}
