package shop.chat;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * The flood limits on chat frames: one per name, so that ten sign-ins under one name share one allowance, and
 * one per client address, so that many names from one place share another.
 */
@ApplicationScoped
public class MessageRates {

    private SlidingWindow perName;
    private SlidingWindow perAddress;

    @Inject
    ChatSettings settings;

    @PostConstruct
    void create() {
        perName = new SlidingWindow(settings.rateLimitMessages(), settings.rateLimitWindow());
        perAddress = new SlidingWindow(settings.rateLimitAddressMessages(), settings.rateLimitWindow());
    }

    /** Empty if this frame may go on; otherwise the sentence to answer with, and the frame is dropped. */
    Optional<String> refusal(Caller caller) {
        if (!perName.tryAcquire(caller.signIn().name())) {
            return Optional.of("Slow down: at most " + perName.limit() + " messages per "
                    + perName.window().toSeconds() + " s; this one was dropped.");
        }
        if (!settings.unlimitedAddresses().contains(caller.address()) && !perAddress.tryAcquire(caller.address())) {
            return Optional.of("Slow down: at most " + perAddress.limit() + " messages per "
                    + perAddress.window().toSeconds() + " s from one address; this one was dropped.");
        }
        return Optional.empty();
    }

    void sweep() {
        perName.sweep();
        perAddress.sweep();
    }
}
