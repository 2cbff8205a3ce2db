package shop.routing;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Starts the shop's order services when the application starts: first the topology, then one instance
 * per rule (several for billing), and stops them when it stops. Stands in for separate microservices.
 */
@ApplicationScoped
public class Services {

    private static final Logger LOG = Logger.getLogger(Services.class.getName());

    @Inject
    Broker broker;

    @Inject
    Deliveries deliveries;

    @Inject
    @ConfigProperty(name = "routing.billing-instances")
    int billingInstances;

    private final List<ServiceInstance> running = new ArrayList<>();

    synchronized void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        broker.open();
        Topology.declare(broker);
        for (Rule rule : RoutingRules.ORDERS) {
            Rule configured = rule.service().equals("billing") ? rule.instances(billingInstances) : rule;
            for (int i = 1; i <= configured.instances(); i++) {
                running.add(ServiceInstance.start(configured, i, broker, deliveries));
            }
        }
        LOG.info(" [x] Routing started: " + running.size() + " service instances on " + Topology.ORDERS);
    }

    /** Every running instance, for {@code GET /api/services}. */
    public synchronized List<ServiceInstance> running() {
        return List.copyOf(running);
    }

    @PreDestroy
    synchronized void stop() {
        running.forEach(ServiceInstance::close);
        running.clear();
    }
}
