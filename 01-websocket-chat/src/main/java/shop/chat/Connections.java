package shop.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.CloseReason.CloseCodes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every open chat connection on this server, so the heartbeat can check them and a sign-out can end them. */
@ApplicationScoped
public class Connections {

    private final Set<Member> open = ConcurrentHashMap.newKeySet();

    void add(Member member) {
        open.add(member);
    }

    void remove(Member member) {
        open.remove(member);
    }

    Set<Member> all() {
        return open;
    }

    /** Ends every connection of a session that signed out: a token that no longer exists must not keep chatting. */
    void closeAllOf(SignIn signIn) {
        open.stream().filter(m -> m.signIn().equals(signIn))
                .forEach(m -> m.close(CloseCodes.VIOLATED_POLICY, "Signed out."));
    }
}
