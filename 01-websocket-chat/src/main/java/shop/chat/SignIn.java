package shop.chat;

import java.security.Principal;
import java.time.Instant;

/** A signed-in chat user: the principal every WebSocket of that browser session runs as. */
public final class SignIn implements Principal {

    private final String name;
    private final Instant expires;
    /** Set by sign-out before it closes the session's sockets, so a handshake racing the sign-out cannot stay open. */
    private volatile boolean ended;

    SignIn(String name, Instant expires) {
        this.name = name;
        this.expires = expires;
    }

    public String name() {
        return name;
    }

    public Instant expires() {
        return expires;
    }

    @Override
    public String getName() {
        return name;
    }

    boolean expiredAt(Instant now) {
        return now.isAfter(expires);
    }

    void end() {
        ended = true;
    }

    /** False once signed out or expired: its token no longer opens anything. */
    boolean isLive() {
        return !ended && !expiredAt(Instant.now());
    }

    @Override
    public String toString() {
        return name;
    }
}
