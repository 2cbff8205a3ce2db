package shop.chat;

import java.security.Principal;

/** Who opened a chat connection: the sign-in it runs as, and the client address its limits are counted against. */
public record Caller(SignIn signIn, String address) implements Principal {

    @Override
    public String getName() {
        return signIn.name();
    }
}
