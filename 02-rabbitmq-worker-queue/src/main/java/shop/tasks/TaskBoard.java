package shop.tasks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The producer's view of every task and worker, kept from the workers' events. It lives in memory:
 * a production system keeps task status in a database, and would survive a producer restart.
 */
@ApplicationScoped
public class TaskBoard {

    /** Looked up once, not per call: see Task.JSON. */
    private static final JsonProvider JSON = JsonProvider.provider();

    /** Enough for the experiments; older tasks are forgotten first. */
    private static final int MAX_TASKS = 200_000;
    /** A worker not heard from for this long is shown as gone. */
    private static final long WORKER_TIMEOUT_MS = 3_000;

    /** One task's status, as the API shows it. */
    public record Entry(String id, String type, TaskStatus status, int attempts, String worker, String error) {
        JsonObject toJson() {
            JsonObjectBuilder json = JSON.createObjectBuilder()
                    .add("id", id).add("type", type).add("status", status.name()).add("attempts", attempts);
            if (worker != null) {
                json.add("worker", worker);
            }
            if (error != null) {
                json.add("error", error);
            }
            return json.build();
        }
    }

    private record WorkerView(JsonObject heartbeat, long lastSeen) {
    }

    private final Map<String, Entry> tasks = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, TaskBoard.Entry> eldest) {
            return size() > MAX_TASKS;
        }
    };
    private final Map<String, WorkerView> workers = new TreeMap<>();
    private final Throughput throughput = new Throughput();
    private long accepted;
    private long done;
    private long failedAttempts;
    private long deadLettered;
    private long duplicatesSkipped;

    public synchronized void queued(Task task) {
        tasks.put(task.id(), new Entry(task.id(), task.type().routingKey(), TaskStatus.QUEUED, 0, null, null));
        accepted++;
    }

    /** The broker did not confirm: the task was never accepted. */
    public synchronized void forget(Task task) {
        if (tasks.remove(task.id()) != null) {
            accepted--;
        }
    }

    public synchronized Optional<Entry> find(String id) {
        return Optional.ofNullable(tasks.get(id));
    }

    /** Applies one event a worker published on tasks.events. */
    public synchronized void apply(JsonObject event) {
        String kind = event.getString("event");
        if (kind.equals("heartbeat")) {
            workers.put(event.getString("worker"), new WorkerView(event, System.currentTimeMillis()));
            return;
        }
        String id = event.getString("taskId");
        if (kind.equals("done") && event.getBoolean("duplicate", false)) {
            duplicatesSkipped++; // a redelivery of a task whose effect was already applied
        }
        Entry before = tasks.get(id);
        if (before != null && before.status().isFinal()) {
            return; // a late or duplicate event must not move a finished task backwards
        }
        String type = event.getString("type");
        int attempt = event.getInt("attempt");
        String worker = event.getString("worker");
        switch (kind) {
            case "running" -> tasks.put(id, new Entry(id, type, TaskStatus.RUNNING, attempt, worker, null));
            case "done" -> {
                tasks.put(id, new Entry(id, type, TaskStatus.DONE, attempt, worker, null));
                done++;
                throughput.record(System.currentTimeMillis());
            }
            case "failed" -> {
                tasks.put(id, new Entry(id, type, TaskStatus.FAILED, attempt, worker, event.getString("error", "")));
                failedAttempts++;
            }
            default -> { }
        }
    }

    /** The broker dead-lettered a task: it failed on every attempt. */
    public synchronized void deadLettered(Task task, int attempts) {
        Entry before = tasks.get(task.id());
        if (before != null && before.status() == TaskStatus.DEAD_LETTERED) {
            return;
        }
        String error = before == null ? null : before.error();
        tasks.put(task.id(), new Entry(task.id(), task.type().routingKey(), TaskStatus.DEAD_LETTERED, attempts, null, error));
        deadLettered++;
    }

    /** Everything the dashboard shows, but the queue depths, which come from the broker. */
    public synchronized JsonObjectBuilder snapshot() {
        long now = System.currentTimeMillis();
        JsonArrayBuilder live = JSON.createArrayBuilder();
        workers.values().removeIf(w -> now - w.lastSeen() > WORKER_TIMEOUT_MS);
        workers.values().forEach(w -> live.add(w.heartbeat()));
        return JSON.createObjectBuilder()
                .add("accepted", accepted)
                .add("done", done)
                .add("failedAttempts", failedAttempts)
                .add("deadLettered", deadLettered)
                .add("duplicatesSkipped", duplicatesSkipped)
                .add("throughputPerSecond", throughput.perSecond(now))
                .add("workers", live);
    }
}
