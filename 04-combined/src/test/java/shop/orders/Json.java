package shop.orders;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;

/** The tests' JSON shorthand, on one cached provider: {@code jakarta.json.Json}'s static methods look it up on every call. */
final class Json {

    private static final JsonProvider PROVIDER = JsonProvider.provider();

    private Json() {
    }

    static JsonObjectBuilder object() {
        return PROVIDER.createObjectBuilder();
    }

    /** Parses a JSON object; throws {@link jakarta.json.JsonException} or ClassCastException when it is not one. */
    static JsonObject parse(String text) {
        try (var reader = PROVIDER.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
