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
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Issues and looks up sign-in sessions, keyed by an unguessable token kept in an HttpOnly cookie. A member (who gave
 * a password, checked by {@link SessionResource}) has one live sign-in at a time: a new one ends the ones before.
 *
 * <p>Teaching scope: guests need only a name, and the members are a demo's ({@link DemoMembers}). A real shop puts
 * its identity provider (OpenID Connect, say) in front of this and keeps the rest: cookie, token lookup, handshake check.
 */
@ApplicationScoped
public class SignIns {

    public static final String COOKIE = "chat_session";
    static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    /** By the token's digest, as in the file: the token itself is only ever in the user's cookie. */
    private final Map<String, SignIn> byDigest = new ConcurrentHashMap<>();
    /** Each member's one live sign-in, by name: the token digest it is kept under in {@link #byDigest}. */
    private final Map<String, String> memberDigests = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private SignInFile file;
    private SlidingWindow perAddress;

    @Inject
    ChatSettings settings;

    /** Reads the sign-ins a previous run of the server left, so a restart signs nobody out. */
    @PostConstruct
    void load() {
        perAddress = new SlidingWindow(settings.signInsPerAddressPerMinute(), Duration.ofMinutes(1));
        file = new SignInFile(settings.dataDir());
        Instant now = clock.instant();
        file.read().forEach((digest, stored) -> {
            if (stored.expires().isBefore(now)) {
                return;
            }
            if (stored.member()) {
                // one live sign-in per member: of several in the file, the newest (it expires last) is kept
                String kept = memberDigests.get(stored.name());
                if (kept != null && !byDigest.get(kept).expires().isBefore(stored.expires())) {
                    return;
                }
                byDigest.remove(kept == null ? "" : kept);
                memberDigests.put(stored.name(), digest);
            }
            byDigest.put(digest, new SignIn(stored.name(), stored.expires(), stored.member()));
        });
        compact(); // the file may hold many appended lines: start from one line per live sign-in
    }

    /** Loads at deployment, so an unusable data folder fails the start instead of the first sign-in. */
    void loadAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // Empty on purpose: to deliver this event the container creates the bean, and that runs load().
    }

    /** Counts a sign-in attempt from this address: empty if it may go on, or why not (429, or 503 when full). */
    Optional<Refusal> refusalFor(String address) {
        if (!settings.unlimitedAddresses().contains(address) && !perAddress.tryAcquire(address)) {
            return Optional.of(new Refusal(429, "too-many-sign-ins", "At most " + perAddress.limit()
                    + " sign-ins per minute from one address; try again in a minute."));
        }
        if (byDigest.size() >= settings.maxSessions()) {
            return Optional.of(new Refusal(503, "server-full", "This server holds its maximum of "
                    + settings.maxSessions() + " sign-ins; try again later."));
        }
        return Optional.empty();
    }

    /** A new sign-in: its token, the value of the session cookie, and the member's earlier sign-in it ended, if any. */
    public record Issued(String token, Optional<SignIn> ended) {
    }

    /** Signs a guest in and returns its new token. Constant cost: one line appended. */
    public String signInGuest(String name) {
        return issue(name, false).token();
    }

    /**
     * Signs in a member whose password was checked, with a new token. The member's earlier sign-in ends, marked before
     * it is returned (see {@link #signOut}), so that its open connections can be closed too.
     */
    public Issued signInMember(String name) {
        return issue(name, true);
    }

    private Issued issue(String name, boolean member) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String digest = digest(token);
        SignIn signIn = new SignIn(name, clock.instant().plus(settings.sessionLifetime()), member);
        byDigest.put(digest, signIn);
        append(digest, signIn);
        if (!member) {
            return new Issued(token, Optional.empty());
        }
        String earlier = memberDigests.put(name, digest); // atomic: of two at once, each ends the one before it
        return new Issued(token, earlier == null ? Optional.empty() : end(earlier));
    }

    public Optional<SignIn> find(String token) {
        if (token == null) {
            return Optional.empty();
        }
        SignIn signIn = byDigest.get(digest(token));
        if (signIn == null || !signIn.isLive()) {
            return Optional.empty();
        }
        return Optional.of(signIn);
    }

    /**
     * Ends a sign-in; returns it, if there was one, so its open connections can be closed too. It is marked ended
     * before it is returned: a handshake that looked it up a moment earlier sees that when it opens, and closes.
     */
    public Optional<SignIn> signOut(String token) {
        if (token == null) {
            return Optional.empty();
        }
        return end(digest(token));
    }

    private Optional<SignIn> end(String digest) {
        Optional<SignIn> ended = Optional.ofNullable(byDigest.remove(digest));
        ended.ifPresent(s -> {
            s.end();
            memberDigests.remove(s.name(), digest);
            // an expiry in the past: the line that ends it in the file
            append(digest, new SignIn(s.name(), Instant.EPOCH, s.isMember()));
        });
        return ended;
    }

    /** Off the request path (see {@link Sweeper}): drops expired sign-ins and rewrites the file without them. */
    void sweep() {
        Instant now = clock.instant();
        byDigest.values().removeIf(s -> s.expiredAt(now));
        memberDigests.values().removeIf(digest -> !byDigest.containsKey(digest));
        perAddress.sweep();
        compact();
    }

    /** One writer at a time, so an appended line never lands in a file that is being replaced. */
    private synchronized void append(String digest, SignIn signIn) {
        file.append(digest, new SignInFile.Stored(signIn.name(), signIn.expires(), signIn.isMember()));
    }

    private synchronized void compact() {
        Instant now = clock.instant();
        Map<String, SignInFile.Stored> live = new HashMap<>();
        byDigest.forEach((digest, s) -> {
            if (!s.expiredAt(now)) {
                live.put(digest, new SignInFile.Stored(s.name(), s.expires(), s.isMember()));
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
