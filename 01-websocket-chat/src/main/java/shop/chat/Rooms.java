package shop.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * All rooms of this server, created on first join.
 *
 * <p>State lives in this JVM's memory: one server, and history lost on restart. That is the honest
 * cost of a plain WebSocket server; module 04 moves the fan-out onto RabbitMQ to run two servers.
 */
@ApplicationScoped
public class Rooms {

    /**
     * Ids start at the boot time in microseconds, so they keep growing across a restart and a
     * reconnecting client's "after" id stays meaningful. (Still below 2^53: exact in JavaScript.)
     */
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 1000);
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();

    @Inject
    ChatSettings settings;

    @Inject
    @Any
    Instance<JoinHook> joinHooks;

    /** The room, created if needed; empty when the server already holds its maximum of rooms. */
    public Optional<Room> open(String name) {
        Room existing = rooms.get(name);
        if (existing != null) {
            return Optional.of(existing);
        }
        if (rooms.size() >= settings.maxRooms()) {
            return Optional.empty();
        }
        return Optional.of(rooms.computeIfAbsent(name,
                n -> new Room(n, settings.retainedMessages(), ids::incrementAndGet, joinHooks.stream().toList())));
    }

    public Optional<Room> find(String name) {
        return Optional.ofNullable(rooms.get(name));
    }

    Collection<Room> all() {
        return rooms.values();
    }
}
