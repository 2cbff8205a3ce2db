package shop.orders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * A step service's record of what it has done, one file per effect and key: "charged order 42",
 * "reserved its item". An effect is recorded at most once, however often its command is delivered.
 * This stands in for the payment provider's idempotency key, or a unique constraint in a database.
 */
public final class Effects {

    private final Path dir;

    public Effects(Path root, String service) {
        this.dir = root.resolve(service);
    }

    // tag::once[]
    /** Records the effect if it is new and returns true; returns false if it was already recorded. */
    public boolean once(String effect, String key, String content) {
        Path target = dir.resolve(effect + "-" + key);
        Path draft = dir.resolve(".drafts").resolve(UUID.randomUUID().toString());
        try {
            Files.createDirectories(draft.getParent());
            Files.writeString(draft, content);
            // link(2) creates the name only if it does not exist, atomically: of two deliveries of
            // the same command, in one process or two, exactly one records the effect.
            Files.createLink(target, draft);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            draft.toFile().delete();
        }
    }
    // end::once[]

    /** Appends a line to a journal, such as the payment provider's statement of charges. */
    public synchronized void append(String journal, String line) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(journal), line + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean exists(String effect, String key) {
        return Files.exists(dir.resolve(effect + "-" + key));
    }

    public Optional<String> read(String effect, String key) {
        try {
            Path file = dir.resolve(effect + "-" + key);
            return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
