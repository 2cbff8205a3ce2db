package shop.chat;

/**
 * Something more to send a member who joins a room, added from outside the lesson as a CDI bean: per-room
 * state kept elsewhere. {@link Room#join} calls it under the room's lock, after the history and presence.
 */
public interface JoinHook {

    void joined(Member member, Room room);
}
