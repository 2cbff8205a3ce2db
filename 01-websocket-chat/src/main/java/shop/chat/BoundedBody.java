package shop.chat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads a request body up to a size limit, for bodies without a declared length (chunked), which {@link BodyLimit}
 * cannot judge up front: at most the limit plus one byte is ever held.
 */
final class BoundedBody {

    private BoundedBody() {
    }

    /** The body as UTF-8 text, or empty if it is larger than {@code maxBytes}. */
    static Optional<String> read(InputStream input, int maxBytes) throws IOException {
        byte[] bytes = input.readNBytes(maxBytes + 1);
        if (bytes.length <= maxBytes) {
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        }
        input.skip(BodyLimit.DRAIN_LIMIT); // as BodyLimit does: let a client that writes before it reads see the 413
        return Optional.empty();
    }
}
