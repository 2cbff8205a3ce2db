package shop.tasks;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The dashboard's numbers once, for curl and scripts: the same snapshot the WebSocket pushes. */
@Path("dashboard")
public class DashboardResource {

    @Inject
    StatusFeed feed;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String snapshot() {
        return feed.snapshot().toString();
    }
}
