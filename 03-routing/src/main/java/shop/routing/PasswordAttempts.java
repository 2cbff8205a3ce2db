package shop.routing;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The limits on guessing passwords: wrong attempts per user name, so that many addresses together cannot guess one
 * operator's password, and per client address, so that one client cannot try name after name or burn the server's
 * CPU on PBKDF2 hashes.
 *
 * <p>An attempt is counted before its hash is checked, so a burst of guesses sent at once cannot slip past, and it is
 * taken back when the password was right: only wrong ones use up the allowance.
 */
@ApplicationScoped
public class PasswordAttempts {

    /** Why an attempt is refused (429), and when one would fit again. */
    record TooMany(String detail, Duration retryAfter) {
    }

    @Inject
    @ConfigProperty(name = "routing.password-failures-per-name")
    int perNameLimit;

    @Inject
    @ConfigProperty(name = "routing.password-failures-per-address")
    int perAddressLimit;

    @Inject
    @ConfigProperty(name = "routing.password-failures-window-seconds")
    int windowSeconds;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private SlidingWindow perName;
    private SlidingWindow perAddress;
    private ScheduledFuture<?> sweep;

    @PostConstruct
    void create() {
        perName = new SlidingWindow(perNameLimit, Duration.ofSeconds(windowSeconds));
        perAddress = new SlidingWindow(perAddressLimit, Duration.ofSeconds(windowSeconds));
        // counters quiet for a whole window are forgotten off the request path, so guessed names do not pile up
        sweep = scheduler.scheduleWithFixedDelay(this::sweep, windowSeconds, windowSeconds, TimeUnit.SECONDS);
    }

    // tag::attempts[]
    /** Counts an attempt to sign in as {@code name} from {@code address}: empty if its password may be checked. */
    Optional<TooMany> refusalFor(String name, String address) {
        String key = name.toLowerCase(Locale.ROOT);
        if (!perName.tryAcquire(key)) {
            return Optional.of(new TooMany("Too many wrong passwords for this name: at most " + perName.limit()
                    + " in " + perName.window().toMinutes() + " minutes.", perName.untilFree(key)));
        }
        if (!perAddress.tryAcquire(address)) {
            perName.release(key); // not checked, so not counted against the name
            return Optional.of(new TooMany("Too many wrong passwords from this address: at most " + perAddress.limit()
                    + " in " + perAddress.window().toMinutes() + " minutes.", perAddress.untilFree(address)));
        }
        return Optional.empty();
    }

    /** The password was right: its attempt does not count. */
    void succeeded(String name, String address) {
        perName.release(name.toLowerCase(Locale.ROOT));
        perAddress.release(address);
    }
    // end::attempts[]

    private void sweep() {
        perName.sweep();
        perAddress.sweep();
    }

    @PreDestroy
    void stop() {
        sweep.cancel(false);
    }
}
