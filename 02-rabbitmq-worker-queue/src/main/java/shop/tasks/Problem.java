package shop.tasks;

import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem detail: the one shape every HTTP error of this module takes. */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** Looked up once, not per call: {@code jakarta.json.Json}'s static methods look the provider up every time. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private Problem() {
    }

    public static JsonObject json(int status, String code, String title, String detail) {
        return JSON.createObjectBuilder()
                .add("type", "/problems/" + code)
                .add("title", title)
                .add("status", status)
                .add("detail", detail)
                .build();
    }

    public static Response response(int status, String code, String title, String detail) {
        return Response.status(status).type(MEDIA_TYPE).entity(json(status, code, title, detail).toString()).build();
    }

    public static Response badRequest(String code, String title, String detail) {
        return response(400, code, title, detail);
    }
}
