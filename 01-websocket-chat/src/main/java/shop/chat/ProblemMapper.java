package shop.chat;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Turns the framework's own HTTP errors (404, 405, 415, ...) into problem+json, like every other error here. */
@Provider
public class ProblemMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public jakarta.ws.rs.core.Response toResponse(WebApplicationException e) {
        if (e.getResponse().getMediaType() != null && e.getResponse().getMediaType().toString().startsWith(Problem.MEDIA_TYPE)) {
            return e.getResponse(); // already one of ours, thrown from deep inside a request (a filter, the body reader)
        }
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        String code = title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
        return Problem.response(status, code, title, e.getMessage());
    }
}
