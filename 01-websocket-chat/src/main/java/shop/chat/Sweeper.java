package shop.chat;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Clears what expires, every {@code chat.sweep-seconds}, on a timer of its own: expired sign-ins, rooms left
 * empty and quiet rate counters ({@link PasswordAttempts} sweeps its own). No request ever pays for a scan of all
 * sessions or rooms.
 */
@ApplicationScoped
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class.getName());

    private ScheduledFuture<?> sweep;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    ChatSettings settings;

    @Inject
    SignIns signIns;

    @Inject
    Rooms rooms;

    @Inject
    MessageRates messageRates;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        long period = settings.sweep().toMillis();
        sweep = scheduler.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            signIns.sweep();
            rooms.evictEmpty();
            messageRates.sweep();
        } catch (RuntimeException e) {
            // a failed sweep must not cancel the schedule: the next one tries again
            LOG.log(Level.WARNING, "sweep failed", e);
        }
    }

    @PreDestroy
    void stop() {
        if (sweep != null) {
            sweep.cancel(false);
        }
    }
}
