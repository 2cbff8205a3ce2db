package shop.orders;

import java.security.Principal;
import java.time.Instant;

/** A signed-in customer: the principal every WebSocket and request of that browser runs as. */
public record SignIn(String customer, Instant expires) implements Principal {

    @Override
    public String getName() {
        return customer;
    }
}
