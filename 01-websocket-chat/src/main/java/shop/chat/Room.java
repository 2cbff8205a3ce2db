package shop.chat;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * A chat room: its members and its recent history.
 *
 * <p>Every change happens under the room's lock, and every send is queued in that same order, so a
 * member who joins while others talk sees each message exactly once: in the history it is sent
 * on joining, or live afterwards, never both and never neither.
 */
public final class Room {

    private static final Logger LOG = Logger.getLogger(Room.class.getName());

    private final String name;
    private final int retained;
    private final LongSupplier ids;
    private final Set<Member> members = new LinkedHashSet<>();
    /** Who is online, sorted, with how many connections each: one person with two tabs open is online once. */
    private final SortedMap<String, Integer> online = new TreeMap<>();
    private final Deque<ChatMessage> history = new ArrayDeque<>();
    private final List<JoinHook> joinHooks;
    private final Caller openedBy;
    /** When the last member left (System.nanoTime), for eviction; a new room starts empty. */
    private long emptySince = System.nanoTime();
    /** Set once the sweep has removed this room: a join that raced the sweep then opens a fresh one. */
    private boolean evicted;

    Room(String name, int retained, LongSupplier ids, List<JoinHook> joinHooks, Caller openedBy) {
        this.name = name;
        this.retained = retained;
        this.ids = ids;
        this.joinHooks = joinHooks;
        this.openedBy = openedBy;
    }

    public String name() {
        return name;
    }

    // tag::join[]
    /**
     * Adds a member: first the history it missed, then who is online. The joiner gets the whole list; the others
     * only hear the name, and only if it is new here, so a join costs each of them one small frame, not the list.
     */
    synchronized boolean join(Member member, long afterId, int historyOnJoin) {
        if (evicted) {
            return false;
        }
        members.add(member);
        boolean newName = online.merge(member.name(), 1, Integer::sum) == 1;
        List<ChatMessage> missed = afterId >= 0 ? after(afterId) : last(historyOnJoin);
        missed.forEach(m -> member.send(Frames.message(m).toString()));
        member.send(Frames.presence("joined", member.name(), online.keySet()));
        if (newName) {
            broadcastToOthers(member, Frames.presence("joined", member.name(), online.size()));
        }
        joinHooks.forEach(hook -> hook.joined(member, this)); // state added from outside the lesson, if any
        LOG.info(" [x] " + member.name() + " joined #" + name + " (" + members.size() + " connected)");
        return true;
    }
    // end::join[]

    // tag::broadcast[]
    /** Stores a message and pushes it to every member of this room, and to no one else. */
    synchronized ChatMessage say(Member from, String text) {
        ChatMessage message = new ChatMessage(ids.getAsLong(), name, from.name(), text, Instant.now());
        history.addLast(message);
        if (history.size() > retained) {
            history.removeFirst();
        }
        broadcast(Frames.message(message).toString());
        return message;
    }

    private void broadcast(String frame) {
        for (Member member : members) {
            member.send(frame); // asynchronous: a slow member does not hold up the others
        }
    }
    // end::broadcast[]

    private void broadcastToOthers(Member except, String frame) {
        for (Member member : members) {
            if (member != except) {
                member.send(frame);
            }
        }
    }

    /** Runs an added frame type's action under this room's lock, so its sends are in order with the room's own. */
    synchronized void exclusively(Runnable action) {
        action.run();
    }

    /** A new id from the sequence the room's messages use, for anything else the room sends with an id. */
    long nextId() {
        return ids.getAsLong();
    }

    // tag::leave[]
    /** Removes a member; the others hear the name has gone only when its last connection has. */
    synchronized void leave(Member member) {
        if (members.remove(member)) {
            if (online.computeIfPresent(member.name(), (n, tabs) -> tabs > 1 ? tabs - 1 : null) == null) {
                broadcast(Frames.presence("left", member.name(), online.size()));
            }
            LOG.info(" [x] " + member.name() + " left #" + name + " (" + members.size() + " connected)");
            if (members.isEmpty()) {
                emptySince = System.nanoTime();
            }
        }
    }
    // end::leave[]

    /** Who opened this room (null for a built-in room): rooms count against their opener's limit while they exist. */
    Caller openedBy() {
        return openedBy;
    }

    /** Marks this room evicted if nobody has been in it since {@code emptyBefore} (System.nanoTime); true if so. */
    synchronized boolean evictIfEmptySince(long emptyBefore) {
        if (members.isEmpty() && emptySince - emptyBefore <= 0) {
            evicted = true;
        }
        return evicted;
    }

    /** Messages with an id greater than {@code afterId}, oldest first, as far back as the room keeps. */
    synchronized List<ChatMessage> after(long afterId) {
        return history.stream().filter(m -> m.id() > afterId).toList();
    }

    synchronized List<Member> members() {
        return new ArrayList<>(members);
    }

    private List<ChatMessage> last(int count) {
        return history.stream().skip(Math.max(0, history.size() - count)).toList();
    }
}
