package shop.tasks;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Pushes one snapshot of the queue, the workers and the counts to every open dashboard, twice a second. */
@ApplicationScoped
public class Dashboard {

    private final Set<Session> viewers = ConcurrentHashMap.newKeySet();
    /** The module's executor for broker loops (see {@link Reconnecting}): each push reads the queue depths. */
    @Resource(lookup = Reconnecting.LOOPS)
    ScheduledExecutorService loops;
    private ScheduledFuture<?> ticker;

    @Inject
    StatusFeed feed;
    @Inject
    TaskSettings settings;

    void start(@Observes @Initialized(ApplicationScoped.class) Object init) {
        if (settings.runs(TaskSettings.Role.PRODUCER)) {
            ticker = loops.scheduleAtFixedRate(this::push, 500, 500, TimeUnit.MILLISECONDS);
        }
    }

    void add(Session viewer) {
        viewers.add(viewer);
        viewer.getAsyncRemote().sendText(feed.snapshot().toString());
    }

    void remove(Session viewer) {
        viewers.remove(viewer);
    }

    // tag::push[]
    private void push() {
        if (viewers.isEmpty()) {
            return;
        }
        String snapshot = feed.snapshot().toString();
        for (Session viewer : viewers) {
            try {
                // Async: one slow browser must not hold up the others.
                viewer.getAsyncRemote().sendText(snapshot);
            } catch (RuntimeException closing) {
                // A socket that closed since the last push. Nothing may escape from here: an exception ends a
                // scheduled task for good, and every dashboard would freeze (found by FuzzIT).
                viewers.remove(viewer);
            }
        }
    }
    // end::push[]

    @PreDestroy
    void stop() {
        if (ticker != null) {
            ticker.cancel(false); // an application never shuts a managed executor down
        }
    }
}
