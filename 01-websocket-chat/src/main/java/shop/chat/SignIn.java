package shop.chat;

import java.security.Principal;
import java.time.Instant;

/**
 * A signed-in chat user: the principal every WebSocket of that browser session runs as. A member signed in with a
 * password; a guest with a name only.
 */
public final class SignIn implements Principal {

    private final String name;
    private final Instant expires;
    private final boolean member;
    /** Set by sign-out before it closes the session's sockets, so a handshake racing the sign-out cannot stay open. */
    private volatile boolean ended;

    SignIn(String name, Instant expires, boolean member) {
        this.name = name;
        this.expires = expires;
        this.member = member;
    }

    public String name() {
        return name;
    }

    public Instant expires() {
        return expires;
    }

    /** True for a registered member who signed in with a password; false for a guest, who gave a name only. */
    public boolean isMember() {
        return member;
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
