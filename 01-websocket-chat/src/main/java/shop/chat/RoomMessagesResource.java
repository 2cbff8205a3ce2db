package shop.chat;

import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * HTTP polling over the same rooms: {@code GET /api/rooms/{room}/messages?after={id}}.
 *
 * <p>Here for comparison only. It is the baseline the module's experiment measures the WebSocket
 * against: every poll pays a full request and response, headers included, even when nothing is new.
 */
@Path("rooms/{room}/messages")
public class RoomMessagesResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    SignIns signIns;

    @Inject
    Rooms rooms;

    // tag::poll[]
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response poll(@PathParam("room") String room, @QueryParam("after") @DefaultValue("0") String after,
                         @CookieParam(SignIns.COOKIE) String token) {
        if (signIns.find(token).isEmpty()) {
            return Problem.response(401, "not-signed-in", "Not signed in", "Sign in with POST /api/session.");
        }
        if (!HandshakeGuard.VALID_ROOM.matcher(room).matches()) {
            return Problem.response(404, "invalid-room", "No such room",
                    "A room name is 1-32 characters of a-z, 0-9 or '-'.");
        }
        long afterId;
        try {
            afterId = Long.parseLong(after);
        } catch (NumberFormatException e) {
            return Problem.response(400, "invalid-after", "Invalid \"after\"", "\"after\" must be a message id.");
        }
        List<ChatMessage> messages = rooms.find(room).map(r -> r.after(afterId)).orElse(List.of());
        JsonArrayBuilder array = JSON.createArrayBuilder();
        messages.forEach(m -> array.add(Frames.message(m)));
        return Response.ok(array.build().toString()).build();
    }
    // end::poll[]
}
