package shop.chat;

import java.time.Instant;

/** One chat message as stored in a room's history. Ids grow across the whole server. */
public record ChatMessage(long id, String room, String from, String text, Instant at) {
}
