package shop.tasks;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Refuses a request body over this module's {@code max-body-bytes} key ({@link ThisModule#KEYS}) with 413
 * problem+json, before it is read into memory.
 */
@Provider
@PreMatching
public class BodyLimit implements ContainerRequestFilter {

    private static final String KEY = ThisModule.KEYS + "max-body-bytes";

    private final long max = ConfigProvider.getConfig().getValue(KEY, Long.class);

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > max) {
            throw tooLarge();
        }
        // No Content-Length (chunked), or a length that lies: count the bytes as they are read.
        request.setEntityStream(new Counted(request.getEntityStream()));
    }

    private WebApplicationException tooLarge() {
        // Connection: close, so the server does not first drain a body it will never use (50 MB, if the client says so).
        return new WebApplicationException(Response.fromResponse(Problem.response(413, "body-too-large", "Body too large",
                "A request body is at most " + max + " bytes (" + KEY + "). " + ThisModule.NOTHING_DONE))
                .header("Connection", "close").build());
    }

    /** The body, stopping with 413 at the first byte over the limit. */
    private final class Counted extends FilterInputStream {

        private long read;

        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw tooLarge();
            }
        }
    }
}
