package shop.routing;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
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
    OrderPublisher publisher;

    @Inject
    WarehouseGateway warehouse;

    @Inject
    TickSubscribers tickSubscribers;

    @Inject
    TickFeed tickFeed;

    @Inject
    ActiveScheme scheme;

    @Inject
    Instance<ServiceRule> moreServices;

    @Inject
    @ConfigProperty(name = "routing.billing-instances")
    int billingInstances;

    private final List<ServiceInstance> running = new ArrayList<>();
    /** The rules subscribed at startup: the scheme's, then those of ServiceRule beans. */
    private final List<Rule> rules = new ArrayList<>();
    private jakarta.jms.Session confirmations;

    synchronized void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        broker.open();
        Topology.declare(broker);
        rules.addAll(scheme.rules());
        moreServices.forEach(more -> rules.add(more.rule()));
        for (Rule rule : rules) {
            Rule configured = rule.service().equals("billing") ? rule.instances(billingInstances) : rule;
            for (int i = 1; i <= configured.instances(); i++) {
                // Shipping's work on a paid order: ask the warehouse, a plain AMQP service, to pick it.
                ServiceInstance.Work work = configured.subscription().equals("shipping-paid")
                        ? warehouse::requestPick : ServiceInstance.Work.NONE;
                running.add(ServiceInstance.start(configured, i, broker, deliveries, work));
            }
        }
        try {
            UnroutedWatcher.start(broker.channel(), deliveries);
            Warehouse.start(broker.channel(), deliveries);
            confirmations = ShipmentConfirmations.start(broker, deliveries, publisher);
            // Two cache instances stand in for two servers: each hears every invalidation.
            CacheInvalidation.start("cache-1", broker.channel(), deliveries);
            CacheInvalidation.start("cache-2", broker.channel(), deliveries);
            tickSubscribers.start();
            tickFeed.start();
        } catch (java.io.IOException | jakarta.jms.JMSException e) {
            throw new IllegalStateException("Could not start the shop's services: " + e.getMessage(), e);
        }
        LOG.info(" [x] Routing started: " + running.size() + " service instances on " + Topology.ORDERS
                + ", routing scheme " + scheme.name());
    }

    /**
     * Subscribes one more service by its rule alone, while the shop runs; the publisher does not change.
     * Teaching aid for trying rules live: real services subscribe themselves when they start.
     */
    public synchronized ServiceInstance subscribe(Rule rule) {
        ServiceInstance instance = ServiceInstance.start(rule, 1, broker, deliveries, ServiceInstance.Work.NONE);
        running.add(instance);
        return instance;
    }

    /** Stops the instances of {@code subscription} and deletes its queue; false if there was none. */
    public synchronized boolean unsubscribe(String subscription) {
        java.util.List<ServiceInstance> matching = running.stream()
                .filter(i -> i.rule().subscription().equals(subscription)).toList();
        if (matching.isEmpty()) {
            return false;
        }
        matching.forEach(ServiceInstance::close);
        running.removeAll(matching);
        try (com.rabbitmq.client.Channel channel = broker.channel()) {
            channel.queueDelete(matching.get(0).rule().queue());
        } catch (java.io.IOException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Could not delete the queue of " + subscription + ": " + e.getMessage(), e);
        }
        return true;
    }

    /** True if {@code subscription} is one of the shop's own, subscribed at startup, not one added while running. */
    public synchronized boolean startedWithTheShop(String subscription) {
        return rules.stream().anyMatch(r -> r.subscription().equals(subscription));
    }

    /** Every running instance, for {@code GET /api/services}. */
    public synchronized List<ServiceInstance> running() {
        return List.copyOf(running);
    }

    @PreDestroy
    synchronized void stop() {
        running.forEach(ServiceInstance::close);
        running.clear();
        if (confirmations != null) {
            try {
                confirmations.close();
            } catch (jakarta.jms.JMSException | RuntimeException e) {
                // already closed with the shared connection
            }
        }
    }
}
