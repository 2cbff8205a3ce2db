package course.testkit;

import com.rabbitmq.http.client.domain.UserPermissions;

/**
 * A second RabbitMQ vhost of this test run's own, next to {@link RabbitVhost}'s, for a server that must not share
 * queues with the run's first one (another configuration of the same durable subscriptions); deleted on close.
 * Its name starts with the run's vhost name, so a killed run's leftover is removed with it after two hours.
 */
public final class ExtraVhost implements AutoCloseable {

    private final String name;

    private ExtraVhost(String name) {
        this.name = name;
    }

    /** Creates {@code <run's vhost>-<suffix>} and grants the test user everything on it; needs {@link RabbitVhost} first. */
    public static ExtraVhost create(String suffix) {
        ExtraVhost vhost = new ExtraVhost(RabbitVhost.name() + "-" + suffix);
        RabbitVhost.management().createVhost(vhost.name);
        RabbitVhost.management().updatePermissions(vhost.name, RabbitVhost.username(), new UserPermissions(".*", ".*", ".*"));
        return vhost;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        RabbitVhost.management().deleteVhost(name);
    }
}
