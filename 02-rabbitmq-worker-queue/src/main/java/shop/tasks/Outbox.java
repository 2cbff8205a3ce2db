package shop.tasks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The task's side effect: the e-mail handed to the mail system, or the report written. Stands in for
 * an SMTP relay or a report store, as a spool folder with one file per task.
 *
 * <p>It is idempotent because a task's file is created at most once, atomically, under the task's id:
 * a redelivered task finds its file already there. In production the same guarantee comes from a
 * unique key on the task id in the database that records the effect, or an idempotency key that
 * the mail API honours.
 */
public final class Outbox {

    /** What happened to a task's effect. */
    public enum Outcome { APPLIED, ALREADY_APPLIED }

    private final Path dir;

    public Outbox(Path dir) {
        this.dir = dir;
    }

    // tag::apply-once[]
    public Outcome deliver(Task task) throws IOException {
        Path target = dir.resolve(task.type().routingKey()).resolve(task.id() + ".txt");
        try {
            return link(task, target);
        } catch (NoSuchFileException e) {
            // The first task of its type, or someone cleared the folder: create the folders now, not
            // before every task (that was four syscalls and four exceptions per task).
            Files.createDirectories(target.getParent());
            Files.createDirectories(drafts());
            return link(task, target);
        }
    }

    private Outcome link(Task task, Path target) throws IOException {
        // Write the whole file under a temporary name, then link it under the task's id. link(2)
        // fails when the name exists, so of two workers with the same task exactly one wins, and
        // nobody ever sees a half-written effect.
        Path draft = Files.createTempFile(drafts(), task.id(), ".tmp");
        try {
            Files.writeString(draft, content(task), StandardCharsets.UTF_8);
            Files.createLink(target, draft);
            return Outcome.APPLIED;
        } catch (FileAlreadyExistsException e) {
            return Outcome.ALREADY_APPLIED;
        } finally {
            Files.deleteIfExists(draft);
        }
    }
    // end::apply-once[]

    private Path drafts() {
        return dir.resolve(".drafts");
    }

    public Path dir() {
        return dir;
    }

    private static String content(Task task) {
        return switch (task.type()) {
            case EMAIL -> "To: " + task.to() + "\nSubject: Your order " + task.orderId() + " is confirmed\n\n"
                    + "Thank you for your order " + task.orderId() + ".\n";
            case REPORT -> "Report for order " + task.orderId() + "\n";
        };
    }
}
