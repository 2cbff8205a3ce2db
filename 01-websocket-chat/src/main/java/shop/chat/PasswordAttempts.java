package shop.chat;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The limits on guessing passwords: wrong attempts per user name, so that many addresses together cannot guess one
 * user's password, and per client address, so that one client cannot try name after name or burn the server's CPU
 * on password hashes.
 *
 * <p>An attempt is counted before its hash is checked, so a burst of guesses sent at once cannot slip past, and it is
 * taken back when the password was right: only wrong ones use up the allowance.
 */
@ApplicationScoped
public class PasswordAttempts {

    private static final Logger LOG = Logger.getLogger(PasswordAttempts.class.getName());

    /** Why an attempt is refused (429), and when one would fit again. */
    record TooMany(String detail, Duration retryAfter) {
    }

    @Inject
    @ConfigProperty(name = ThisModule.KEYS + "password-failures-per-name")
    int perNameLimit;

    @Inject
    @ConfigProperty(name = ThisModule.KEYS + "password-failures-per-address")
    int perAddressLimit;

    @Inject
    @ConfigProperty(name = ThisModule.KEYS + "password-failures-window-seconds")
    int windowSeconds;

    /** Client addresses the per-address limit leaves out, comma-separated (a load generator of your own); unset: none. */
    @Inject
    @ConfigProperty(name = ThisModule.KEYS + "unlimited-addresses")
    Optional<String> unlimitedAddresses; // not Optional<List<String>>: Payara Micro's injection fails on that type

    @Resource
    ManagedScheduledExecutorService scheduler;

    private SlidingWindow perName;
    private SlidingWindow perAddress;
    private Set<String> unlimited;
    private ScheduledFuture<?> sweep;

    @PostConstruct
    void create() {
        perName = new SlidingWindow(perNameLimit, Duration.ofSeconds(windowSeconds));
        perAddress = new SlidingWindow(perAddressLimit, Duration.ofSeconds(windowSeconds));
        unlimited = Arrays.stream(unlimitedAddresses.orElse("").split(",")).map(String::strip)
                .filter(address -> !address.isEmpty()).collect(Collectors.toSet());
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
    // end::attempts[]

    private boolean limited(String address) {
        return !unlimited.contains(address);
    }

    private void sweep() {
        try {
            perName.sweep();
            perAddress.sweep();
        } catch (RuntimeException e) {
            // a failed sweep must not cancel the schedule: the next one tries again
            LOG.log(Level.WARNING, "sweep of the password-attempt counters failed", e);
        }
    }

    @PreDestroy
    void stop() {
        sweep.cancel(false);
    }
}
