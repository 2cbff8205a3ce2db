package shop.chat;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason.CloseCodes;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Finds dead connections: pings every member on a fixed beat and closes any that has not answered
 * two beats in a row.
 *
 * <p>Why not just {@code Session.setMaxIdleTimeout}? The container counts frames it sends as activity,
 * so a chat that keeps pushing to a vanished client would never look idle. A peer that is gone (or one
 * stuck half-way through a frame it never finishes) does not answer pings, and that is what we test for.
 */
@ApplicationScoped
public class Heartbeat {

    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

    private ScheduledFuture<?> beat;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    ChatSettings settings;

    @Inject
    Connections connections;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        long period = settings.heartbeat().toMillis();
        beat = scheduler.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    // tag::heartbeat[]
    private void beat() {
        long deadline = 2 * settings.heartbeat().toNanos();
        for (Member member : connections.all()) {
            if (!member.isOpen()) {
                connections.remove(member);
            } else if (member.nanosSinceLastPong() > deadline) {
                LOG.info(" [x] " + member.name() + " did not answer two pings: closing the connection");
                connections.remove(member);
                member.close(CloseCodes.GOING_AWAY, "No answer to ping.");
            } else {
                member.ping();
            }
        }
    }
    // end::heartbeat[]

    @PreDestroy
    void stop() {
        if (beat != null) {
            beat.cancel(false);
        }
    }
}
