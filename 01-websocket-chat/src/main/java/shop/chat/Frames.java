package shop.chat;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.Collection;

/**
 * Writes the JSON frames the server sends: {@code message}, {@code presence} and {@code error}.
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

    public static String error(String code, String message) {
        return Json.createObjectBuilder()
                .add("type", "error")
                .add("code", code)
                .add("message", message)
                .build().toString();
    }
}
