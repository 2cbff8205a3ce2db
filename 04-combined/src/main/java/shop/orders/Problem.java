package shop.orders;

import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem detail: the one shape every HTTP error of the shop takes. */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    private Problem() {
    }

    public static JsonObject json(int status, String code, String title, String detail) {
        return Json.object()
                .add("type", "/problems/" + code)
                .add("title", title)
                .add("status", status)
                .add("detail", detail)
                .build();
    }

    public static Response response(int status, String code, String title, String detail) {
        return Response.status(status).type(MEDIA_TYPE).entity(json(status, code, title, detail).toString()).build();
    }
}
