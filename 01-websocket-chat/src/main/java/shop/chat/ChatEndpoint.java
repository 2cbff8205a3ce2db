package shop.chat;

import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The chat's WebSocket, {@code /chat/{room}}: one instance per open connection, for its whole life.
 * The handshake was already checked by {@link HandshakeGuard}; this class turns frames into room actions.
 */
@ServerEndpoint("/chat/{room}")
public class ChatEndpoint {

    /** Larger frames are refused by the container with close code 1009 (too big) before any parsing. */
    static final int MAX_FRAME_BYTES = 64 * 1024;
    private static final Logger LOG = Logger.getLogger(ChatEndpoint.class.getName());

    @Inject
    Rooms rooms;

    @Inject
    ChatSettings settings;

    @Inject
    Connections connections;

    @Inject
    FrameHandlers frameHandlers;

    @Inject
    MessageRates messageRates;

    @Inject
    SendLanes lanes;

    private Room room;
    private Member member;

    // tag::open[]
    @OnOpen
    public void open(Session session, @PathParam("room") String roomName) throws IOException {
        if (!(session.getUserPrincipal() instanceof Caller caller)) {
            // HandshakeGuard sets it, but the container once let a handshake past its filter (ContainerDefects in
            // testkit): the endpoint never trusts an unchecked connection.
            session.close(new CloseReason(CloseCodes.VIOLATED_POLICY, "Not signed in."));
            return;
        }
        member = new Member(session, caller, lanes.next());
        Optional<Refusal> full = connections.add(member); // from now on the heartbeat checks it
        if (full.isPresent()) {
            member.close(CloseCodes.TRY_AGAIN_LATER, full.get().detail()); // the handshake's check raced another
            return;
        }
        if (!caller.signIn().isLive()) {
            // signed out while this handshake was under way: sign-out closed what it saw, this one closes itself
            member.close(CloseCodes.VIOLATED_POLICY, "Signed out.");
            return;
        }
        room = join(roomName, afterId(session));
    }
    // end::open[]

    /** Joins the room; retried once if the sweep evicted it between lookup and join (the retry opens a fresh one). */
    private Room join(String roomName, long afterId) {
        for (int attempt = 0; attempt < 2; attempt++) {
            switch (rooms.open(roomName, member.caller())) {
                case Rooms.Opening.Opened opened -> {
                    if (opened.room().join(member, afterId, settings.historyOnJoin())) {
                        return opened.room();
                    }
                }
                case Rooms.Opening.Refused refused -> {
                    member.send(Frames.error(refused.code(), refused.message()));
                    member.close(refused.close(), refused.message());
                    return null;
                }
            }
        }
        member.close(CloseCodes.TRY_AGAIN_LATER, "The room was being removed; join again.");
        return null;
    }

    // tag::receive[]
    @OnMessage(maxMessageSize = MAX_FRAME_BYTES)
    public void receive(String raw) {
        if (room == null) {
            return; // refused on opening, and closing
        }
        Optional<String> tooFast = messageRates.refusal(member.caller());
        if (tooFast.isPresent()) {
            member.send(Frames.error("rate-limited", tooFast.get()));
            return;
        }
        switch (ClientFrame.parse(raw, settings.maxJsonDepth())) {
            case ClientFrame.Say say -> room.say(member, say.text());
            case ClientFrame.Other other -> frameHandlers.handle(other, member, room);
            case ClientFrame.Invalid invalid -> member.send(Frames.error(invalid.code(), invalid.message()));
        }
    }
    // end::receive[]

    /** The chat speaks JSON text only. Without this handler the container silently drops binary frames. */
    @OnMessage(maxMessageSize = MAX_FRAME_BYTES)
    public void binary(ByteBuffer data) {
        member.close(CloseCodes.CANNOT_ACCEPT, "The chat accepts JSON text frames only.");
    }

    @OnMessage
    public void pong(PongMessage pong) {
        member.ponged();
    }

    @OnClose
    public void close(CloseReason reason) {
        if (member != null) {
            connections.remove(member); // a no-op for a member that was refused before it was counted
        }
        if (room != null) {
            room.leave(member);
        }
    }

    @OnError
    public void error(Throwable error) {
        LOG.log(Level.FINE, "chat connection error", error);
    }

    /** {@code ?after=<id>}: a reconnecting client asks for what it missed, instead of the usual history. */
    private long afterId(Session session) {
        List<String> after = session.getRequestParameterMap().get("after");
        if (after == null || after.isEmpty()) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(after.get(0)));
        } catch (NumberFormatException e) {
            member.send(Frames.error("invalid-after", "\"after\" must be a message id; sending the usual history."));
            return -1;
        }
    }
}
