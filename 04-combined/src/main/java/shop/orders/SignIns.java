package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks sign-in tokens, kept in an HttpOnly cookie, as in module 01, with one change
 * for two instances: the token is signed (HMAC-SHA256) instead of stored. Any instance that knows
 * {@code shop.session-secret} can check it, so a customer who fails over to the other instance is
 * still signed in: no sticky sessions, no shared memory. A signature cannot be taken back, so a token
 * also says when it was issued, and {@link Revocations} refuses those issued before the customer's
 * latest sign-in or sign-out, on every instance.
 */
@ApplicationScoped
public class SignIns {

    public static final String COOKIE = "shop_session";
    static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    @Inject
    ShopSettings settings;
    @Inject
    Revocations revocations;

    private final Clock clock = Clock.systemUTC();
    /** The last issued time handed out: two sign-ins in one millisecond still get different ones. */
    private long lastIssued;

    // tag::token[]
    // tag::sign-in[]
    public Token signIn(String customer) {
        SignIn signIn = new SignIn(customer, nextIssued(), clock.instant().plus(settings.sessionLifetime()));
        String payload = customer + "." + signIn.issued() + "." + signIn.expires().getEpochSecond();
        return new Token(payload + "." + signature(payload), signIn);
    }
    // end::sign-in[]

    /** A new token (the cookie's value), and the sign-in it stands for. */
    public record Token(String value, SignIn signIn) {
    }

    public Optional<SignIn> find(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.");
        if (parts.length != 4 || !VALID_NAME.matcher(parts[0]).matches()) {
            return Optional.empty();
        }
        String payload = parts[0] + "." + parts[1] + "." + parts[2];
        // Constant-time comparison: a timing difference must not reveal how much of a forgery was right.
        if (!MessageDigest.isEqual(signature(payload).getBytes(StandardCharsets.US_ASCII),
                parts[3].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            SignIn signIn = new SignIn(parts[0], Long.parseLong(parts[1]), Instant.ofEpochSecond(Long.parseLong(parts[2])));
            return clock.instant().isBefore(signIn.expires()) && !revocations.revoked(signIn)
                    ? Optional.of(signIn) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
    // end::token[]

    private synchronized long nextIssued() {
        lastIssued = Math.max(clock.millis(), lastIssued + 1);
        return lastIssued;
    }

    private String signature(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(settings.sessionSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
