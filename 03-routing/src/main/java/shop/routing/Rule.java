package shop.routing;

/**
 * One routing rule: a service subscribes to a binding pattern, optionally narrowed by a JMS selector.
 * Each rule is one shared durable subscription, that is one queue on the broker, named after it.
 */
public record Rule(String service, String subscription, String pattern, String selector, int instances) {

    public Rule(String service, String pattern) {
        this(service, service, pattern, null, 1);
    }

    /** The same rule, narrowed by a JMS message selector over the message's properties. */
    public Rule where(String jmsSelector) {
        return new Rule(service, subscription, pattern, jmsSelector, instances);
    }

    /** The same rule under another subscription name: for a service with more than one pattern. */
    public Rule named(String subscriptionName) {
        return new Rule(service, subscriptionName, pattern, selector, instances);
    }

    /** The same rule consumed by {@code n} instances that split the subscription's messages. */
    public Rule instances(int n) {
        return new Rule(service, subscription, pattern, selector, n);
    }

    /** The queue on the broker that holds this subscription's messages. */
    public String queue() {
        return Topology.ORDERS + "." + subscription;
    }

    /** How an instance signs its log lines: {@code billing-1} when there are several, else {@code billing}. */
    public String instanceName(int index) {
        return instances == 1 ? service : service + "-" + index;
    }
}
