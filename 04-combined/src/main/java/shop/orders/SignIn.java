package shop.orders;

import java.security.Principal;
import java.time.Instant;

/**
 * A signed-in customer: the principal every WebSocket and request of that browser runs as. {@code issued} (epoch
 * milliseconds) tells this session from the customer's older ones, which a newer sign-in or a sign-out revokes.
 */
public record SignIn(String customer, long issued, Instant expires) implements Principal {

    @Override
    public String getName() {
        return customer;
    }
}
