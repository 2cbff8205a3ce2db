package shop.chat;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Collection;

/**
 * Writes the JSON frames the server sends: {@code message}, {@code presence} and {@code error}, and the
 * exercise solutions' {@code whisper} and {@code note}.
 */
public final class Frames {

    private Frames() {
    }

    public static JsonObject message(ChatMessage m) {
        return Json.createObjectBuilder()
                .add("type", "message")
                .add("id", m.id())
                .add("room", m.room())
                .add("from", m.from())
                .add("text", m.text())
                .add("at", m.at().toString())
                .build();
    }

    public static String presence(String event, String user, Collection<String> online) {
        JsonArrayBuilder names = Json.createArrayBuilder();
        online.forEach(names::add);
        return Json.createObjectBuilder()
                .add("type", "presence")
                .add("event", event)
                .add("user", user)
                .add("online", names)
                .build().toString();
    }

    /** Exercise 1: a private message, in the shape of {@code message} plus its recipient. */
    public static String whisper(PrivateMessage w) {
        return Json.createObjectBuilder()
                .add("type", "whisper")
                .add("id", w.id())
                .add("room", w.room())
                .add("from", w.from())
                .add("to", w.to())
                .add("text", w.text())
                .add("at", w.at().toString())
                .build().toString();
    }

    /** Exercise 2: the room's note at one version; {@code by} is null while nobody has edited it (version 0). */
    public static String note(long version, String text, String by) {
        return Json.createObjectBuilder()
                .add("type", "note")
                .add("version", version)
                .add("text", text)
                .add("by", by == null ? JsonValue.NULL : Json.createValue(by))
                .build().toString();
    }

    public static String error(String code, String message) {
        return Json.createObjectBuilder()
                .add("type", "error")
                .add("code", code)
                .add("message", message)
                .build().toString();
    }
}
