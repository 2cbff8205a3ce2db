package shop.chat;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
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

    /** By the token's digest, as in the file: the token itself is only ever in the user's cookie. */
    private final Map<String, SignIn> byDigest = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private SignInFile file;

    @Inject
    ChatSettings settings;

    /** Reads the sign-ins a previous run of the server left, so a restart signs nobody out. */
    @PostConstruct
    void load() {
        file = new SignInFile(settings.dataDir());
        Instant now = clock.instant();
        file.read().forEach((digest, stored) -> {
            if (!stored.expires().isBefore(now)) {
                byDigest.put(digest, newSignIn(stored.name(), stored.expires()));
            }
        });
    }

    /** Loads at deployment, so an unusable data folder fails the start instead of the first sign-in. */
    void loadAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // Empty on purpose: to deliver this event the container creates the bean, and that runs load().
    }

    /** Signs a name in and returns its new token, the value of the session cookie. */
    public String signIn(String name) {
        if (byDigest.size() >= MAX_SESSIONS) {
            Instant now = clock.instant();
            byDigest.values().removeIf(s -> s.expiredAt(now));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        byDigest.put(digest(token), newSignIn(name, clock.instant().plus(settings.sessionLifetime())));
        save();
        return token;
    }

    public Optional<SignIn> find(String token) {
        if (token == null) {
            return Optional.empty();
        }
        SignIn signIn = byDigest.get(digest(token));
        if (signIn == null || signIn.expiredAt(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(signIn);
    }

    /** Ends a sign-in; returns it, if there was one, so its open connections can be closed too. */
    public Optional<SignIn> signOut(String token) {
        Optional<SignIn> ended = token == null ? Optional.empty() : Optional.ofNullable(byDigest.remove(digest(token)));
        ended.ifPresent(s -> save());
        return ended;
    }

    private SignIn newSignIn(String name, Instant expires) {
        return new SignIn(name, expires, new FloodGuard(settings.rateLimitMessages(), settings.rateLimitWindow()));
    }

    /** One writer at a time, each writing the whole current state, so the last write always holds every change. */
    private synchronized void save() {
        Instant now = clock.instant();
        Map<String, SignInFile.Stored> live = new HashMap<>();
        byDigest.forEach((digest, s) -> {
            if (!s.expiredAt(now)) {
                live.put(digest, new SignInFile.Stored(s.name(), s.expires()));
            }
        });
        file.write(live);
    }

    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
