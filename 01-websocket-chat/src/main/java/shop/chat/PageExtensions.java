package shop.chat;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;

/**
 * {@code GET /api/page-extensions}: the scripts in the webapp's {@code extensions/} folder, which the page loads
 * before it connects; the page part of frame types added from outside the lesson. The lesson itself has none.
 */
@Path("page-extensions")
public class PageExtensions {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Context
    ServletContext servlet;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String scripts() {
        Set<String> paths = servlet.getResourcePaths("/extensions/"); // null when the folder does not exist
        JsonArrayBuilder scripts = JSON.createArrayBuilder();
        if (paths != null) {
            paths.stream().filter(p -> p.endsWith(".js")).sorted()
                    .forEach(p -> scripts.add(p.substring("/extensions/".length())));
        }
        return scripts.build().toString();
    }
}
