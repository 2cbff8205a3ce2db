package shop.orders;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many passwords this instance hashes at once. Each check is about half a second of one core (PBKDF2, 600,000
 * iterations), and the per-name and per-address limits ({@link SignInLimits}) do not bound their sum: many names
 * from many addresses (or from behind a trusted proxy) would queue checks until every sign-in waits for seconds.
 * Past {@code shop.password-checks-at-once} running checks, a sign-in waits at most
 * {@value #WAIT_MS} ms for a turn, then gets a 429 with Retry-After: the queue, and the wait, stay short.
 */
@ApplicationScoped
public class PasswordChecks {

    static final long WAIT_MS = 2_000;

    @Inject
    ShopSettings settings;

    private Semaphore turns;

    @PostConstruct
    void init() {
        turns = new Semaphore(settings.passwordChecksAtOnce());
    }

    // tag::turn[]
    /** Waits (bounded) for a turn to hash; false if none came: the caller answers 429. */
    public boolean begin() {
        try {
            return turns.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Ends a turn that {@link #begin()} gave. */
    public void end() {
        turns.release();
    }
    // end::turn[]
}
