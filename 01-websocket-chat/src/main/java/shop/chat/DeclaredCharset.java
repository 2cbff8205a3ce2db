package shop.chat;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;

/**
 * Refuses a request whose Content-Type names a charset this server does not know ({@code charset=bogus}) with 415
 * problem+json, before anything reads the body: the framework's text reader would otherwise fail on it with a 500.
 */
@Provider
@PreMatching
public class DeclaredCharset implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        MediaType type;
        try {
            type = request.getMediaType();
        } catch (RuntimeException unparseable) {
            return; // a Content-Type that does not parse at all is answered 400 by the framework (see ContainerErrors)
        }
        String charset = type == null ? null : type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !known(charset)) {
            request.abortWith(Problem.response(415, "unsupported-charset", "Unsupported charset",
                    "The body's charset '" + charset + "' is not one this server knows; send it as UTF-8 "
                            + "(Content-Type: application/json; charset=UTF-8). " + ThisModule.NOTHING_DONE));
        }
    }

    private static boolean known(String charset) {
        try {
            return Charset.isSupported(charset);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }
}
