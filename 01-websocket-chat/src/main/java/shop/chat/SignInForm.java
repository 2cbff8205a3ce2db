package shop.chat;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Set;

/**
 * The body of {@code POST /api/session}, parsed and validated: a guest's name, a member's name and password, or the
 * reason it was refused (400).
 */
sealed interface SignInForm permits SignInForm.Guest, SignInForm.Password, SignInForm.Invalid {

    int MAX_PASSWORD = 128;

    /** {@code {"name":"alice"}}: a name only. */
    record Guest(String name) implements SignInForm {
    }

    /** {@code {"name":"ada","password":"..."}}: a member's sign-in, to be checked. */
    record Password(String name, String password) implements SignInForm {
    }

    record Invalid(String detail) implements SignInForm {
    }

    static SignInForm parse(String body) {
        JsonValue value;
        try {
            value = JsonInput.read(body);
        } catch (JsonException e) {
            return new Invalid("The body is not valid JSON.");
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            return new Invalid("The body is a JSON object: {\"name\":\"alice\"}.");
        }
        JsonObject json = value.asJsonObject();
        if (!Set.of("name", "password").containsAll(json.keySet())) {
            return new Invalid("Only the fields \"name\" and \"password\" are allowed.");
        }
        if (!(json.get("name") instanceof JsonString name) || !SignIns.VALID_NAME.matcher(name.getString()).matches()) {
            return new Invalid("A name is 1-32 characters of letters, digits, '_' or '-'.");
        }
        if (!json.containsKey("password")) {
            return new Guest(name.getString());
        }
        if (!(json.get("password") instanceof JsonString password) || password.getString().isEmpty()
                || password.getString().length() > MAX_PASSWORD) {
            return new Invalid("A password is a string of 1-" + MAX_PASSWORD + " characters; leave it out to join as a guest.");
        }
        return new Password(name.getString(), password.getString());
    }
}
