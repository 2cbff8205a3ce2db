package shop.chat;

import java.util.List;

/**
 * The experiments' senders: members of the room who take turns, so that a paced load stays under the
 * chat's flood limit of 20 messages per 10 s per signed-in session.
 */
final class RoomSenders {

    /** A member that can say the experiments' numbered test messages. */
    interface Speaker {
        /** Says test message {@code seq}, marking its send time just before the client library gets it. */
        void say(int seq);
    }

    private final List<Speaker> senders;

    RoomSenders(List<? extends Speaker> senders) {
        if (senders.isEmpty()) {
            throw new IllegalArgumentException("at least one sender");
        }
        this.senders = List.copyOf(senders);
    }

    /**
     * About one message per second per session, plus one spare: half the flood limit, so that random
     * (Poisson) bursts stay under it too. At least five, as a room with many people talking has.
     */
    static int neededFor(double messagesPerSecond) {
        return Math.max(5, (int) Math.ceil(messagesPerSecond) + 1);
    }

    /** Sends test message {@code seq} from the next sender in turn. */
    void say(int seq) {
        senders.get(seq % senders.size()).say(seq);
    }

    int count() {
        return senders.size();
    }
}
