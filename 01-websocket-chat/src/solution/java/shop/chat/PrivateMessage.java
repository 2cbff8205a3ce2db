package shop.chat;

import jakarta.json.Json;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.logging.Logger;

/**
 * Exercise 1's solution: a whisper on its way, delivered to the recipient's and the sender's connections
 * in one room and to no one else.
 *
 * <p>Users are told apart by name here, as presence does: everyone signed in as "bob" who is in the
 * room gets a whisper to bob. A shop with real accounts would address a user id instead.
 */
public record PrivateMessage(long id, String room, String from, String to, String text, Instant at) {

    private static final Logger LOG = Logger.getLogger(PrivateMessage.class.getName());

    // tag::whisper[]
    /**
     * Sends this whisper to every connection of its recipient, and echoes it to every connection of
     * its sender, so their other tabs show it too; {@code sender} is the connection it came from.
     */
    void deliver(Member sender, Collection<Member> members) {
        if (to.equals(from)) {
            // Refused rather than delivered as a note to self: in a support chat it is almost surely
            // a wrong pick of name, and an echo would look like it reached someone.
            sender.send(Frames.error("whisper-to-self", "A whisper goes to someone else; nothing was sent."));
            return;
        }
        List<Member> recipients = members.stream().filter(m -> m.name().equals(to)).toList();
        if (recipients.isEmpty()) {
            sender.send(Frames.error("unknown-recipient", "No one called \"" + to + "\" is in #" + room
                    + "; nothing was sent."));
            return;
        }
        String frame = frame();
        recipients.forEach(m -> m.send(frame));
        members.stream().filter(m -> m.name().equals(from)).forEach(m -> m.send(frame));
        LOG.info(" [x] " + from + " whispered to " + to + " in #" + room);
    }
    // end::whisper[]

    /** The {@code whisper} frame: the shape of a {@code message}, plus its recipient. */
    String frame() {
        return Json.createObjectBuilder()
                .add("type", "whisper")
                .add("id", id)
                .add("room", room)
                .add("from", from)
                .add("to", to)
                .add("text", text)
                .add("at", at.toString())
                .build().toString();
    }
}
