package shop.chat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads a request body up to a size limit: a larger one is refused before it is read, or as soon as it is past it. */
final class BoundedBody {

    private BoundedBody() {
    }

    /** The body as UTF-8 text, or empty if it is larger than {@code maxBytes}; at most that much is ever held. */
    static Optional<String> read(InputStream input, long declaredLength, int maxBytes) throws IOException {
        if (declaredLength > maxBytes) {
            return Optional.empty(); // refused on its Content-Length: not one byte of it read
        }
        byte[] bytes = input.readNBytes(maxBytes + 1); // a chunked body has no length: read one byte past the limit
        return bytes.length > maxBytes ? Optional.empty() : Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }
}
