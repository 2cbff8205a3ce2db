package shop.chat;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The limits on guessing passwords: wrong attempts per member name, so that many addresses together cannot guess one
 * member's password, and per client address, so that one client cannot try name after name.
 *
 * <p>An attempt is counted before its hash is checked, so a burst of guesses sent at once cannot slip past, and it is
 * taken back when the password was right: only wrong ones use up the allowance.
 */
@ApplicationScoped
public class PasswordAttempts {

    /** Why an attempt is refused (429), and when one would fit again. */
    record TooMany(String detail, Duration retryAfter) {
    }

    private SlidingWindow perName;
    private SlidingWindow perAddress;

    @Inject
    ChatSettings settings;

    @PostConstruct
    void create() {
        perName = new SlidingWindow(settings.passwordFailuresPerName(), settings.passwordFailuresWindow());
        perAddress = new SlidingWindow(settings.passwordFailuresPerAddress(), settings.passwordFailuresWindow());
    }

    /** Counts an attempt to sign in as {@code name} from {@code address}: empty if its password may be checked. */
    Optional<TooMany> refusalFor(String name, String address) {
        String key = name.toLowerCase(Locale.ROOT);
        if (!perName.tryAcquire(key)) {
            return Optional.of(new TooMany("Too many wrong passwords for this name: at most " + perName.limit()
                    + " in " + perName.window().toMinutes() + " minutes.", perName.untilFree(key)));
        }
        if (limited(address) && !perAddress.tryAcquire(address)) {
            perName.release(key); // not checked, so not counted against the name
            return Optional.of(new TooMany("Too many wrong passwords from this address: at most " + perAddress.limit()
                    + " in " + perAddress.window().toMinutes() + " minutes.", perAddress.untilFree(address)));
        }
        return Optional.empty();
    }

    /** The password was right: its attempt does not count. */
    void succeeded(String name, String address) {
        perName.release(name.toLowerCase(Locale.ROOT));
        if (limited(address)) {
            perAddress.release(address);
        }
    }

    void sweep() {
        perName.sweep();
        perAddress.sweep();
    }

    private boolean limited(String address) {
        return !settings.unlimitedAddresses().contains(address);
    }
}
