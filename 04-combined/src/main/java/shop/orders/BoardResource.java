package shop.orders;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Tells the board page where RabbitMQ's Web-STOMP is and which public, read-only login to use there. */
@Path("board")
@Produces(MediaType.APPLICATION_JSON)
public class BoardResource {

    @Inject
    Board board;

    @GET
    public String connection() {
        return board.toJson();
    }
}
