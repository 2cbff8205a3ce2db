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

    /** This process, in each draft's name: two processes that work on the same task write two drafts. */
    private static final long PID = ProcessHandle.current().pid();

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
        Path draft = draftOf(task);
        try {
            Files.write(draft, content(task).getBytes(StandardCharsets.UTF_8));
            Files.createLink(target, draft);
            return Outcome.APPLIED;
        } catch (FileAlreadyExistsException e) {
            return Outcome.ALREADY_APPLIED;
        } finally {
            Files.deleteIfExists(draft);
        }
    }
    // end::apply-once[]

    /**
     * The draft's name is this process's and this thread's own, and a thread works on one task at a time: so it is
     * written with one open(2), where Files.createTempFile made two (and drew a random name).
     */
    private Path draftOf(Task task) {
        return drafts().resolve(task.id() + "." + PID + "-" + Thread.currentThread().threadId() + ".tmp");
    }

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
