package shop.tasks;

import java.util.Arrays;
import java.util.Optional;

/** The background jobs the shop hands to workers; the name is also the routing key on the tasks exchange. */
public enum TaskType {
    EMAIL, REPORT;

    public String routingKey() {
        return name().toLowerCase();
    }

    public static Optional<TaskType> of(String name) {
        return Arrays.stream(values()).filter(t -> t.routingKey().equals(name)).findFirst();
    }
}
