package shop.tasks;

import java.util.Locale;
import java.util.Optional;

/** The background jobs the shop hands to workers; the name is also the routing key on the tasks exchange. */
public enum TaskType {
    EMAIL, REPORT;

    /**
     * Lower-cased once, not on every call: a worker asks for it five times per task, and reading a task looked it up
     * through a stream; together a tenth of a task's time in the worker's profile (WorkerCostExperiment, JFR).
     */
    private final String routingKey = name().toLowerCase(Locale.ROOT);

    public String routingKey() {
        return routingKey;
    }

    public static Optional<TaskType> of(String name) {
        for (TaskType type : values()) {
            if (type.routingKey.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
