package shop.chat;

import java.security.Principal;
import java.time.Instant;

/** A signed-in chat user: the principal every WebSocket of that browser session runs as. */
public record SignIn(String name, Instant expires, FloodGuard floodGuard) implements Principal {

    @Override
    public String getName() {
        return name;
    }

    boolean expiredAt(Instant now) {
        return now.isAfter(expires);
    }

    @Override
    public String toString() {
        return name;
    }
}
