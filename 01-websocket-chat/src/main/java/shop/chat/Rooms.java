package shop.chat;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason.CloseCodes;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * All rooms of this server: the built-in ones, and the others, created on first join and removed when they have
 * stayed empty for {@code chat.empty-room-seconds}.
 *
 * <p>State lives in this JVM's memory: one server, and history lost on restart. That is the honest
 * cost of a plain WebSocket server; module 04 moves the fan-out onto RabbitMQ to run two servers.
 */
@ApplicationScoped
public class Rooms {

    /** The answer to a join: the room, or why it was refused, as an error frame and a close code. */
    sealed interface Opening {
        record Opened(Room room) implements Opening {
        }

        record Refused(CloseCodes close, String code, String message) implements Opening {
        }
    }

    private static final Logger LOG = Logger.getLogger(Rooms.class.getName());

    /**
     * Ids start at the boot time in microseconds, so they keep growing across a restart and a
     * reconnecting client's "after" id stays meaningful. (Still below 2^53: exact in JavaScript.)
     */
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 1000);
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    /** Rooms that still exist, by who opened them: by name and by client address. Guarded by this. */
    private final Map<String, Integer> openedByName = new HashMap<>();
    private final Map<String, Integer> openedByAddress = new HashMap<>();

    @Inject
    ChatSettings settings;

    @Inject
    @Any
    Instance<JoinHook> joinHooks;

    @PostConstruct
    void createBuiltIns() {
        settings.builtInRooms().forEach(name -> rooms.put(name, newRoom(name, null)));
    }

    /** The room, created if needed, unless its creation breaks a limit. */
    public Opening open(String name, Caller caller) {
        Room existing = rooms.get(name);
        return existing != null ? new Opening.Opened(existing) : create(name, caller);
    }

    private synchronized Opening create(String name, Caller caller) {
        Room existing = rooms.get(name);
        if (existing != null) {
            return new Opening.Opened(existing);
        }
        if (rooms.size() - settings.builtInRooms().size() >= settings.maxRooms()) {
            return new Opening.Refused(CloseCodes.TRY_AGAIN_LATER, "server-full",
                    "This server holds its maximum number of rooms.");
        }
        int perUser = settings.maxRoomsPerUser();
        boolean limitedAddress = !settings.unlimitedAddresses().contains(caller.address());
        if (openedByName.getOrDefault(caller.getName(), 0) >= perUser
                || limitedAddress && openedByAddress.getOrDefault(caller.address(), 0) >= perUser) {
            return new Opening.Refused(CloseCodes.VIOLATED_POLICY, "too-many-rooms", "You opened " + perUser
                    + " rooms that still exist; join one of them, or wait until one is empty.");
        }
        openedByName.merge(caller.getName(), 1, Integer::sum);
        openedByAddress.merge(caller.address(), 1, Integer::sum);
        Room room = newRoom(name, caller);
        rooms.put(name, room);
        return new Opening.Opened(room);
    }

    /** Removes the rooms that have been empty longer than the grace, so they free their place and their history. */
    synchronized void evictEmpty() {
        long emptyBefore = System.nanoTime() - settings.emptyRoomGrace().toNanos();
        rooms.values().removeIf(room -> {
            if (room.openedBy() == null || !room.evictIfEmptySince(emptyBefore)) {
                return false;
            }
            openedByName.computeIfPresent(room.openedBy().getName(), (k, n) -> n == 1 ? null : n - 1);
            openedByAddress.computeIfPresent(room.openedBy().address(), (k, n) -> n == 1 ? null : n - 1);
            LOG.fine(() -> "evicted the empty room #" + room.name());
            return true;
        });
    }

    public Optional<Room> find(String name) {
        return Optional.ofNullable(rooms.get(name));
    }

    Collection<Room> all() {
        return rooms.values();
    }

    private Room newRoom(String name, Caller openedBy) {
        return new Room(name, settings.retainedMessages(), ids::incrementAndGet, joinHooks.stream().toList(), openedBy);
    }
}
