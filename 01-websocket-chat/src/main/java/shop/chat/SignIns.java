package shop.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Issues and looks up sign-in sessions, keyed by an unguessable token kept in an HttpOnly cookie.
 *
 * <p>Teaching scope: a name is all it takes to sign in. A real shop puts its identity provider
 * (OpenID Connect, say) in front of this and keeps the rest: cookie, token lookup, handshake check.
 */
@ApplicationScoped
public class SignIns {

    public static final String COOKIE = "chat_session";
    static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int MAX_SESSIONS = 100_000;

    private final Map<String, SignIn> byToken = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    @Inject
    ChatSettings settings;

    public SignIn signIn(String name) {
        if (byToken.size() >= MAX_SESSIONS) {
            Instant now = clock.instant();
            byToken.values().removeIf(s -> s.expiredAt(now));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        SignIn signIn = new SignIn(name, token, clock.instant().plus(settings.sessionLifetime()),
                new FloodGuard(settings.rateLimitMessages(), settings.rateLimitWindow()));
        byToken.put(token, signIn);
        return signIn;
    }

    public Optional<SignIn> find(String token) {
        if (token == null) {
            return Optional.empty();
        }
        SignIn signIn = byToken.get(token);
        if (signIn == null || signIn.expiredAt(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(signIn);
    }

    /** Ends a sign-in; returns it, if there was one, so its open connections can be closed too. */
    public Optional<SignIn> signOut(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(byToken.remove(token));
    }
}
