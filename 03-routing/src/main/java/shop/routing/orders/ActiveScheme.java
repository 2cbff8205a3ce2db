package shop.routing.orders;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import shop.routing.OrderEvent;
import shop.routing.Rule;

/**
 * The routing scheme this server runs, chosen by {@code routing.scheme}: {@value #STANDARD}, the lesson's own
 * (keys {@code order.<region>.<event>}, the rules of {@link RoutingRules}), or a {@link RoutingScheme} bean of that name.
 */
@ApplicationScoped
public class ActiveScheme {

    public static final String STANDARD = "standard";

    @Inject
    Instance<RoutingScheme> plugged;

    @Inject
    @ConfigProperty(name = "routing.scheme")
    String chosen;

    private RoutingScheme scheme;

    @PostConstruct
    void choose() {
        if (chosen.equals(STANDARD)) {
            return;
        }
        List<String> known = new ArrayList<>(List.of(STANDARD));
        for (RoutingScheme candidate : plugged) {
            if (candidate.name().equals(chosen)) {
                scheme = candidate;
                return;
            }
            known.add(candidate.name());
        }
        // A typo must not silently run another scheme than the one asked for.
        throw new IllegalStateException("routing.scheme '" + chosen + "' names no routing scheme; this build has: "
                + String.join(", ", known));
    }

    public String name() {
        return scheme == null ? STANDARD : scheme.name();
    }

    public String keyOf(OrderEvent event) {
        return scheme == null ? event.key().toString() : scheme.keyOf(event);
    }

    public List<Rule> rules() {
        return scheme == null ? RoutingRules.ORDERS : scheme.rules();
    }
}
