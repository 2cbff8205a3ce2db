package shop.chat;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.Set;

/**
 * Exercise 1's solution: the {@code {"type":"whisper","to":"bob","text":"..."}} client frame, validated like
 * {@code say} plus a recipient.
 */
public record Whisper(String to, String text) {

    /** Why {@code frame} is refused, or null if it is a valid whisper. */
    static ClientFrame.Invalid refusal(JsonObject frame) {
        if (ClientFrame.unknownField(frame, Set.of("type", "to", "text")) instanceof ClientFrame.Invalid unknown) {
            return unknown;
        }
        if (!(frame.get("to") instanceof JsonString to) || to.getString().isBlank()) {
            return new ClientFrame.Invalid("missing-field", "Field \"to\" is required: the name of someone in this room.");
        }
        if (!SignIns.VALID_NAME.matcher(to.getString()).matches()) {
            // No one can be signed in under such a name, and the raw value is not echoed back.
            return new ClientFrame.Invalid("unknown-recipient", "No one can have that name: a name is 1-32 characters "
                    + "of letters, digits, '_' or '-'; nothing was sent.");
        }
        return ClientFrame.invalidText(frame);
    }

    /** The whisper in a frame that {@link #refusal} let through. */
    static Whisper of(JsonObject frame) {
        return new Whisper(frame.getString("to"), frame.getString("text"));
    }
}
