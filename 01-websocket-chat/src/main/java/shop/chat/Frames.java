package shop.chat;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.util.Collection;

/**
 * Writes the JSON frames the server sends: {@code message}, {@code presence} and {@code error}.
 */
public final class Frames {

    /**
     * One provider for the class, looked up once: each static {@code jakarta.json.Json} method looks the provider up
     * again, a ServiceLoader scan of the class path per call. Every class of this module that writes or reads JSON
     * holds such a constant.
     */
    private static final JsonProvider JSON = JsonProvider.provider();

    private Frames() {
    }

    public static JsonObject message(ChatMessage m) {
        return JSON.createObjectBuilder()
                .add("type", "message")
                .add("id", m.id())
                .add("room", m.room())
                .add("from", m.from())
                .add("text", m.text())
                .add("at", m.at().toString())
                .build();
    }

    /** What the others hear when a name comes or goes: that name and how many are online, never the whole list. */
    public static String presence(String event, String user, int count) {
        return JSON.createObjectBuilder()
                .add("type", "presence")
                .add("event", event)
                .add("user", user)
                .add("count", count)
                .build().toString();
    }

    /** What the joiner alone hears: the same event, plus everyone online, to start its list from. */
    public static String presence(String event, String user, Collection<String> online) {
        JsonArrayBuilder names = JSON.createArrayBuilder();
        online.forEach(names::add);
        return JSON.createObjectBuilder()
                .add("type", "presence")
                .add("event", event)
                .add("user", user)
                .add("count", online.size())
                .add("online", names)
                .build().toString();
    }

    public static String error(String code, String message) {
        return JSON.createObjectBuilder()
                .add("type", "error")
                .add("code", code)
                .add("message", message)
                .build().toString();
    }
}
