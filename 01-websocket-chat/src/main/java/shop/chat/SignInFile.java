package shop.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the live sign-ins in one small file under {@code chat.data-dir}, so that a server restart signs
 * nobody out: the browsers' cookies still name a sign-in the restarted server knows.
 *
 * <p>The file holds each token's SHA-256 digest, never the token itself: whoever reads the file (a backup,
 * say) cannot sign in with what is in it.
 */
final class SignInFile {

    /** What the file keeps of one sign-in: who, until when, and whether a member (password) or a guest (name only). */
    record Stored(String name, Instant expires, boolean member) {
    }

    private final Path file;

    SignInFile(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the chat's data folder " + dataDir
                    + ": make it writable, or point chat.data-dir at a folder that is.", e);
        }
        this.file = dataDir.resolve("sign-ins.tsv");
    }

    /** Every sign-in in the file, by token digest; none if there is no file yet. A line it cannot read is skipped. */
    Map<String, Stored> read() {
        Map<String, Stored> stored = new HashMap<>();
        if (!Files.exists(file)) {
            return stored;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.split("\t");
                // a line without the fourth field was written before members existed: a guest
                if ((fields.length == 3 || fields.length == 4) && SignIns.VALID_NAME.matcher(fields[2]).matches()) {
                    boolean member = fields.length == 4 && fields[3].equals("member");
                    try {
                        stored.put(fields[0], new Stored(fields[2], Instant.ofEpochSecond(Long.parseLong(fields[1])), member));
                    } catch (NumberFormatException | java.time.DateTimeException e) {
                        // a damaged line loses one sign-in, not all of them
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return stored;
    }

    /**
     * Adds one line, a new sign-in or (with an expiry in the past) an ended one: the cost of a sign-in does not grow
     * with the number of sign-ins. When reading, the last line of a digest wins.
     */
    void append(String digest, Stored signIn) {
        try {
            Files.writeString(file, line(digest, signIn) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /**
     * Replaces the file with these sign-ins: written to a temporary file beside it, then renamed over it in one
     * step, so a crash mid-write leaves the old file, never half a file.
     */
    void write(Map<String, Stored> signIns) {
        List<String> lines = signIns.entrySet().stream()
                .map(e -> line(e.getKey(), e.getValue()))
                .toList();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(file.getParent(), "sign-ins", ".tmp");
            Files.write(temporary, lines, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary); // only still there if the move failed
                } catch (IOException ignored) {
                    // nothing more to do: the next write tries again
                }
            }
        }
    }

    private static String line(String digest, Stored signIn) {
        return digest + "\t" + signIn.expires().getEpochSecond() + "\t" + signIn.name()
                + "\t" + (signIn.member() ? "member" : "guest");
    }
}
