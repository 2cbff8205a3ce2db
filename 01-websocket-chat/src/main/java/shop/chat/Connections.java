package shop.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason.CloseCodes;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every open chat connection on this server, so the heartbeat can check them and a sign-out can end them;
 * it also holds the connection limits, in all and per client address.
 */
@ApplicationScoped
public class Connections {

    private final Set<Member> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();

    @Inject
    ChatSettings settings;

    /** The handshake's early check, before any upgrade work: empty if a connection from this address would fit now. */
    Optional<Refusal> refusalFor(String address) {
        if (open.size() >= settings.maxConnections()) {
            return Optional.of(new Refusal(503, "server-full", "This server holds its maximum of "
                    + settings.maxConnections() + " chat connections; try again later."));
        }
        if (limited(address) && perAddress.getOrDefault(address, 0) >= settings.maxConnectionsPerAddress()) {
            return Optional.of(new Refusal(429, "too-many-connections", "At most "
                    + settings.maxConnectionsPerAddress() + " chat connections from one address; close one first."));
        }
        return Optional.empty();
    }

    /** Counts a member in, unless that breaks a limit (two handshakes can pass the early check at once). */
    synchronized Optional<Refusal> add(Member member) {
        Optional<Refusal> refusal = refusalFor(member.caller().address());
        if (refusal.isEmpty() && open.add(member)) {
            perAddress.merge(member.caller().address(), 1, Integer::sum);
        }
        return refusal;
    }

    synchronized void remove(Member member) {
        if (open.remove(member)) {
            perAddress.computeIfPresent(member.caller().address(), (a, n) -> n == 1 ? null : n - 1);
        }
    }

    Set<Member> all() {
        return open;
    }

    /**
     * Ends every connection of a sign-in that ended (signed out, or a member signed in again): a token that no longer
     * exists must not keep chatting. 1008, so the page does not retry; {@code reason} tells it why.
     */
    void closeAllOf(SignIn signIn, String reason) {
        open.stream().filter(m -> m.signIn() == signIn)
                .forEach(m -> m.close(CloseCodes.VIOLATED_POLICY, reason));
    }

    private boolean limited(String address) {
        return !settings.unlimitedAddresses().contains(address);
    }
}
