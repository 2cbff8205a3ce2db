package shop.chat;

import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;

/**
 * Reads client JSON, with the checks it must pass besides its syntax: a nesting depth counted before the parser
 * runs (a deep document otherwise costs the parser's stack), and no lone UTF-16 surrogate in any string or key
 * afterwards (such a string can be stored, but no socket can send it as UTF-8).
 */
final class JsonInput {

    private static final JsonProvider JSON = JsonProvider.provider();

    private JsonInput() {
    }

    /** The JSON value of {@code raw}; a {@link jakarta.json.JsonException} if it is not JSON. */
    static JsonValue read(String raw) {
        try (JsonReader reader = JSON.createReader(new StringReader(raw))) {
            return reader.readValue();
        }
    }

    /** True if brackets and braces, outside strings, nest deeper than {@code maxDepth}. One pass, no parsing. */
    static boolean deeperThan(String raw, int maxDepth) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++; // skip the escaped character, a quote included
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                if (++depth > maxDepth) {
                    return true;
                }
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return false;
    }

    /** True if any string or object key in {@code value} holds a surrogate without its pair. */
    static boolean hasLoneSurrogate(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> hasLoneSurrogate(((JsonString) value).getString());
            case OBJECT -> value.asJsonObject().entrySet().stream()
                    .anyMatch(e -> hasLoneSurrogate(e.getKey()) || hasLoneSurrogate(e.getValue()));
            case ARRAY -> value.asJsonArray().stream().anyMatch(JsonInput::hasLoneSurrogate);
            default -> false;
        };
    }

    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a proper pair: one character outside the Basic Multilingual Plane, an emoji say
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
