package shop.tasks;

/** Where a task is in its life, as GET /api/tasks/{id} reports it. */
public enum TaskStatus {
    /** The broker has it; no worker has started it yet (or it waits for a retry). */
    QUEUED,
    /** A worker is on it. */
    RUNNING,
    /** Done, and its effect applied exactly once. */
    DONE,
    /** The last attempt failed; its next attempt waits in the queue, until the attempts run out. */
    FAILED,
    /** Failed too often: the broker moved it to tasks.dead for a human to look at. */
    DEAD_LETTERED;

    boolean isFinal() {
        return this == DONE || this == DEAD_LETTERED;
    }
}
