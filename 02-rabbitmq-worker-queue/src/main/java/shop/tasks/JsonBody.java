package shop.tasks;

import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.WebApplicationException;
import java.io.StringReader;

/** Reads a request body as JSON, and turns every way it can fail into a 400 problem+json, never a 500. */
final class JsonBody {

    /** Looked up once, not per call: {@code jakarta.json.Json}'s static methods look the provider up every time. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private JsonBody() {
    }

    /** The JSON value of {@code body}; a 400 problem if it is not JSON or nests too deep. */
    static JsonValue read(String body) {
        try (var reader = JSON.createReader(new StringReader(body))) {
            return reader.readValue();
        } catch (JsonException e) {
            throw new WebApplicationException(Problem.badRequest("malformed-json", "Not valid JSON",
                    "The body is not valid JSON. " + ThisModule.NOTHING_DONE));
        } catch (RuntimeException e) {
            // Parsson stops at 1000 levels with a plain RuntimeException ("Input is too deeply nested"): without this
            // catch, a 2 KB body of brackets became a 500 with a stack trace. No body of ours nests deeper than 3.
            throw new WebApplicationException(Problem.badRequest("too-deeply-nested", "JSON nested too deep",
                    "The body nests arrays or objects deeper than the JSON reader allows (1000 levels); no body of this "
                            + "API nests more than a few levels. " + ThisModule.NOTHING_DONE));
        }
    }
}
