package shop.chat;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last resort: an error no check foresaw still answers problem+json, logged once here, and never sends the
 * client a stack trace or the name of a class. (The framework's own HTTP errors, more specific, go to
 * {@link ProblemMapper}.)
 */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<RuntimeException> {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class.getName());

    @Override
    public Response toResponse(RuntimeException e) {
        LOG.log(Level.WARNING, "unexpected error", e);
        return Problem.response(500, "internal-error", "Internal error", "The server could not answer this request.");
    }
}
