package shop.routing.ticks;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** A synthetic price feed for the demo, so the page has a live ticker; off ({@code 0}) in the tests. Teaching aid. */
@ApplicationScoped
public class TickFeed {

    private static final Logger LOG = Logger.getLogger(TickFeed.class.getName());
    private static final List<String[]> INSTRUMENTS = List.of(new String[] {"xnas", "AAPL"},
            new String[] {"xnas", "MSFT"}, new String[] {"xlon", "AAPL"}, new String[] {"xlon", "VOD"},
            new String[] {"xetr", "SAP"});

    @Inject
    TickIngester ingester;

    @Inject
    @ConfigProperty(name = "routing.demo-ticks-per-second")
    int perSecond;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final double[] prices = {230, 420, 230, 75, 240};
    private ScheduledFuture<?> task;

    public void start() {
        if (perSecond <= 0) {
            return;
        }
        task = scheduler.scheduleAtFixedRate(this::tick, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
    }

    private synchronized void tick() {
        int i = ThreadLocalRandom.current().nextInt(INSTRUMENTS.size());
        prices[i] *= 1 + ThreadLocalRandom.current().nextGaussian() * 0.001; // a small random walk
        try {
            ingester.publish(List.of(new Tick(INSTRUMENTS.get(i)[0], INSTRUMENTS.get(i)[1],
                    BigDecimal.valueOf(prices[i]).setScale(2, RoundingMode.HALF_EVEN))));
        } catch (Exception e) {
            LOG.log(Level.WARNING, "demo tick not published: " + e, e);
        }
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
