package shop.routing.orders;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import shop.routing.Broker;
import shop.routing.Deliveries;
import shop.routing.Reconnecting;
import shop.routing.Rule;
import shop.routing.Topology;
import shop.routing.cache.CacheInvalidation;
import shop.routing.ticks.TickFeed;
import shop.routing.ticks.TickSubscribers;
import shop.routing.warehouse.ShipmentConfirmations;
import shop.routing.warehouse.Warehouse;
import shop.routing.warehouse.WarehouseGateway;

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

    @Inject
    @ConfigProperty(name = "routing.live-subscription-expiry-ms")
    long liveSubscriptionExpiry;

    @Inject
    @ConfigProperty(name = "routing.watchdog-ms")
    long watchdogPeriod;

    private final List<ServiceInstance> running = new ArrayList<>();
    /** The module's executor for broker loops (see {@link Reconnecting}). */
    @Resource(lookup = Reconnecting.LOOPS)
    ScheduledExecutorService loops;
    private ScheduledFuture<?> watchdog;
    /** The rules subscribed at startup: the scheme's, then those of ServiceRule beans. */
    private final List<Rule> rules = new ArrayList<>();
    private ShipmentConfirmations confirmations;

    synchronized void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        broker.open();
        Topology.declare(broker);
        rules.addAll(scheme.rules());
        moreServices.forEach(more -> rules.add(more.rule()));
        for (Rule rule : rules) {
            Rule configured = rule.service().equals("billing") ? rule.instances(billingInstances) : rule;
            for (int i = 1; i <= configured.instances(); i++) {
                // Shipping's work on a paid order: ask the warehouse, a plain AMQP service, to pick it.
                ServiceInstance.Work work = FailingOrders.around(configured.subscription().equals("shipping-paid")
                        ? warehouse::requestPick : ServiceInstance.Work.NONE);
                running.add(ServiceInstance.start(configured, i, broker, deliveries, work, queueArguments(false)));
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
        watchdog = loops.scheduleWithFixedDelay(() -> {
            try {
                watch();
                restartConfirmationsIfBroken();
                resubscribeTicksAfterReconnect();
            } catch (RuntimeException e) { // an exception would end the schedule for good: say so, and go on
                LOG.log(Level.WARNING, " [!] The watchdog could not check the services; it tries again", e);
            }
        }, watchdogPeriod, watchdogPeriod, TimeUnit.MILLISECONDS);
        LOG.info(" [x] Routing started: " + running.size() + " service instances on " + Topology.ORDERS
                + ", routing scheme " + scheme.name());
    }

    /**
     * Subscribes one more service by its rule alone, while the shop runs; the publisher does not change; empty, and
     * nothing done, if {@code maxLive} were added already.
     * Teaching aid for trying rules live: real services subscribe themselves when they start.
     */
    public synchronized Optional<ServiceInstance> subscribe(Rule rule, int maxLive) {
        if (live() >= maxLive) { // checked under the same lock that adds one: two requests at once cannot both pass
            return Optional.empty();
        }
        ServiceInstance instance;
        try {
            instance = ServiceInstance.start(rule, 1, broker, deliveries, FailingOrders.around(ServiceInstance.Work.NONE),
                    queueArguments(true));
        } catch (RuntimeException e) {
            // The client may have declared the queue before it failed: a subscription that never ran leaves nothing behind.
            try (com.rabbitmq.client.Channel channel = broker.channel()) {
                channel.queueDelete(rule.queue());
            } catch (java.io.IOException | java.util.concurrent.TimeoutException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        running.add(instance);
        return Optional.of(instance);
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

    // tag::queue-arguments[]
    /** How a service's queue is declared: what it cannot handle is dead-lettered; a live one's queue expires. */
    private Map<String, Object> queueArguments(boolean live) {
        Map<String, Object> arguments = new HashMap<>(Map.of("x-dead-letter-exchange", Topology.DEAD_LETTERS));
        if (live) {
            // The app forgets a live subscription when it stops, so the broker must forget its queue too: unused
            // (no consumer) for this long, it is deleted, instead of filling up with what nobody will ever read.
            arguments.put("x-expires", liveSubscriptionExpiry);
        }
        return arguments;
    }
    // end::queue-arguments[]

    // tag::watchdog[]
    /**
     * Restarts every service instance whose consumer has stopped: one the guard saw fail, or, when the broker
     * counts fewer consumers on a queue than instances read it, every instance of that queue.
     */
    synchronized void watch() {
        if (!broker.connected()) {
            return; // the application is stopping: nothing is to be started again
        }
        Map<String, List<ServiceInstance>> byQueue = new LinkedHashMap<>();
        running.forEach(i -> byQueue.computeIfAbsent(i.rule().queue(), q -> new ArrayList<>()).add(i));
        byQueue.forEach((queue, instances) -> {
            List<ServiceInstance> stopped = instances.stream().filter(i -> !i.consuming()).toList();
            if (stopped.isEmpty() && consumersOn(queue) < instances.size()) {
                stopped = instances; // the broker lost one, and cannot say which: start them all again
            }
            for (ServiceInstance dead : stopped) {
                try {
                    running.set(running.indexOf(dead), dead.restart());
                    deliveries.note(dead.name(), "", "", " [!] " + dead.name() + " had stopped consuming "
                            + queue + "; the watchdog started it again");
                } catch (RuntimeException e) { // it stays in the list, stopped: the next round tries again
                    LOG.warning(" [!] " + dead.name() + " could not start again on " + queue + "; the watchdog "
                            + "tries again: " + e.getMessage());
                }
            }
        });
    }
    // end::watchdog[]

    /**
     * Closes the warehouse answers' session once it could not pass one on (which hands it back), or a reconnect closed
     * it, and starts anew.
     */
    synchronized void restartConfirmationsIfBroken() {
        if (confirmations == null || !confirmations.broken() || !broker.connected()) {
            return;
        }
        try {
            confirmations.close();
        } catch (jakarta.jms.JMSException | RuntimeException e) {
            LOG.fine("closing a broken session: " + e);
        }
        try {
            confirmations = ShipmentConfirmations.start(broker, deliveries, publisher);
            LOG.warning(" [!] [shipping] The watchdog started the warehouse answers' consumer again");
        } catch (jakarta.jms.JMSException | RuntimeException e) {
            LOG.warning(" [!] [shipping] The warehouse answers' consumer could not start again; the watchdog tries again: "
                    + e.getMessage());
        }
    }

    /** Subscribes the market-data subscribers again once a reconnect closed their sessions. */
    synchronized void resubscribeTicksAfterReconnect() {
        if (!broker.connected()) {
            return;
        }
        try {
            if (tickSubscribers.resubscribeAfterReconnect()) {
                LOG.warning(" [!] The watchdog subscribed the tick subscribers again on the new connection");
            }
        } catch (jakarta.jms.JMSException | RuntimeException e) {
            LOG.warning(" [!] The tick subscribers could not subscribe again; the watchdog tries again: " + e.getMessage());
        }
    }

    /** How many consumers the broker counts on {@code queue}; 0 if the queue is gone. */
    public int consumersOn(String queue) {
        try (com.rabbitmq.client.Channel channel = broker.channel()) {
            return channel.queueDeclarePassive(queue).getConsumerCount();
        } catch (java.io.IOException | java.util.concurrent.TimeoutException | com.rabbitmq.client.ShutdownSignalException e) {
            return 0; // a passive declare of a missing queue closes the channel with 404
        }
    }

    /**
     * True if a live subscription may not use {@code name}: its queue would be one the app itself uses, the
     * alternate exchange's or the dead letters', or a service's started with the shop.
     */
    public synchronized boolean reserved(String name) {
        String queue = new Rule(name, "#").queue();
        return queue.equals(Topology.ORDERS_UNROUTED) || queue.equals(Topology.DEAD_LETTERS) || startedWithTheShop(name);
    }

    /** True if {@code subscription} is one of the shop's own, subscribed at startup, not one added while running. */
    public synchronized boolean startedWithTheShop(String subscription) {
        return rules.stream().anyMatch(r -> r.subscription().equals(subscription));
    }

    /** How many subscriptions were added while the shop runs, not started with it. */
    public synchronized int live() {
        return (int) running.stream().map(i -> i.rule().subscription()).distinct().filter(s -> !startedWithTheShop(s)).count();
    }

    /** Every running instance, for {@code GET /api/services}. */
    public synchronized List<ServiceInstance> running() {
        return List.copyOf(running);
    }

    @PreDestroy
    synchronized void stop() {
        if (watchdog != null) {
            watchdog.cancel(false); // an application never shuts a managed executor down
        }
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
