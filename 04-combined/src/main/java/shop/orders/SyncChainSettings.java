package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The keys of {@link SyncChainResource}, the experiment's baseline; it is off unless {@code shop.sync-chain=true}.
 * A step's URL is the base URL of the instance that runs it ({@code http://host:port}); empty: this instance.
 */
@ApplicationScoped
public class SyncChainSettings {

    @Inject @ConfigProperty(name = "shop.sync-chain", defaultValue = "false")
    boolean enabled;
    @Inject @ConfigProperty(name = "shop.sync-payment-url")
    Optional<String> paymentUrl;
    @Inject @ConfigProperty(name = "shop.sync-inventory-url")
    Optional<String> inventoryUrl;
    @Inject @ConfigProperty(name = "shop.sync-shipping-url")
    Optional<String> shippingUrl;
    /** How long the chain waits for one step's answer before it tells the customer the order failed. */
    @Inject @ConfigProperty(name = "shop.sync-timeout-ms", defaultValue = "2000")
    long timeoutMs;

    public boolean enabled() {
        return enabled;
    }

    /** The base URL of the instance that runs the step, if another one. */
    public Optional<String> url(Step step) {
        Optional<String> url = switch (step) {
            case PAYMENT -> paymentUrl;
            case INVENTORY -> inventoryUrl;
            case SHIPPING -> shippingUrl;
        };
        return url.map(String::trim).filter(u -> !u.isEmpty());
    }

    public long timeoutMs() {
        return timeoutMs;
    }
}
