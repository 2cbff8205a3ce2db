package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Exercise 1's reference solution: the carrier is down for the items listed in {@code shipping/carrier-down} under
 * {@code shop.data-dir}, one per line, so shipping them throws, every attempt, and the broker dead-letters the command.
 */
@ApplicationScoped
public class CarrierOutage implements StepHook {

    /** The carrier's API did not take the parcel; a later attempt may. */
    public static final class Unavailable extends Exception {
        Unavailable(String detail) {
            super(detail);
        }
    }

    @Inject
    ShopSettings settings;

    @Override
    public void before(Step step, Command command) throws Unavailable, IOException {
        if (step != Step.SHIPPING) {
            return;
        }
        // A file, not a key: an outage starts and ends while the shop runs, as the carrier's would.
        Path outage = settings.dataDir().resolve("shipping").resolve("carrier-down");
        if (Files.exists(outage) && Files.readAllLines(outage).stream().map(String::strip).anyMatch(command.item()::equals)) {
            throw new Unavailable("the carrier is down for " + command.item());
        }
    }
}
