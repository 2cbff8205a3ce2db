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
 * <p>Whispers go only between members who signed in with a password ({@link SignIn#isMember()}): a guest's
 * name is anyone's to type, so a whisper to a guest could reach whoever typed it. A guest can never sign in under a
 * member's name, and a member has one live sign-in, so a whisper to ada reaches ada's tabs only.
 */
public record PrivateMessage(long id, String room, String from, String to, String text, Instant at) {

    private static final Logger LOG = Logger.getLogger(PrivateMessage.class.getName());

    // tag::whisper[]
    /**
     * Sends this whisper to every connection of its recipient, and echoes it to every connection of
     * its sender, so their other tabs show it too; {@code sender} is the connection it came from.
     */
    void deliver(Member sender, Collection<Member> members) {
        if (!sender.signIn().isMember()) {
            sender.send(Frames.error("whisper-needs-sign-in", "Whispers are between members: sign in with your "
                    + "password to whisper; nothing was sent."));
            return;
        }
        if (to.equals(from)) {
            // Refused rather than delivered as a note to self: in a support chat it is almost surely
            // a wrong pick of name, and an echo would look like it reached someone.
            sender.send(Frames.error("whisper-to-self", "A whisper goes to someone else; nothing was sent."));
            return;
        }
        List<Member> named = members.stream().filter(m -> m.name().equals(to)).toList();
        if (named.isEmpty()) {
            sender.send(Frames.error("unknown-recipient", "No one called \"" + to + "\" is in #" + room
                    + "; nothing was sent."));
            return;
        }
        // isLive: a sign-in that just ended (its member signed in elsewhere) may still have a socket closing
        List<Member> recipients = named.stream().filter(m -> m.signIn().isMember() && m.signIn().isLive()).toList();
        if (recipients.isEmpty()) {
            sender.send(Frames.error("whisper-needs-sign-in", "\"" + to + "\" is a guest, not a member signed in "
                    + "with a password: whispers are between members only; nothing was sent."));
            return;
        }
        String frame = frame();
        recipients.forEach(m -> m.send(frame));
        members.stream().filter(m -> m.signIn() == sender.signIn()).forEach(m -> m.send(frame));
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
