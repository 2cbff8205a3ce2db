package shop.tasks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import com.rabbitmq.jms.admin.RMQDestination;
import course.testkit.Pacer;
import course.testkit.PrivateBroker;
import course.testkit.PrivateCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures what a confirmed publisher sees when the node leading the {@code tasks} quorum queue is killed (kill -9) in
 * a three-node {@link PrivateCluster}: per second, confirms acked and nacked on the publisher's own (reconnected)
 * channel, on a brand-new connection opened that second, and the queue's leader as a survivor reports it. Not part of
 * verify: it takes minutes, and it is the investigation behind measured/ClusterFailover.md. Run it with
 * {@code -Dit.test=ClusterFailoverProbe} (failsafe), or with java and the test classpath, and variants as system
 * properties:
 * <ul>
 * <li>{@code probe.queue=quorum|quorum-plain|classic}: 02's work-queue arguments (TaskTopology), the same quorum
 * queue without dead-letter strategy and overflow, or a classic queue;</li>
 * <li>{@code probe.publisher=leader|other}: the publisher connects first to the leader's node, or to another;</li>
 * <li>{@code probe.on-nack=keep|new-channel}: the publisher keeps its channel after a nack, or publishes the next
 * message on a new channel of the same connection (the workaround);</li>
 * <li>{@code probe.client=amqp|jms}: the publisher is a plain AMQP channel with confirms, or 02's own
 * {@link ConfirmedPublisher} on the RabbitMQ JMS client, which reconnects as the producer does (probe.on-nack does not
 * apply to it);</li>
 * <li>{@code probe.restart-after}: seconds after the kill at which the killed node starts again (default: never);</li>
 * <li>{@code probe.seconds}: how long to watch after the kill (default 150).</li>
 * </ul>
 */
public final class ClusterFailoverProbe {

    private static final int RATE = 200;

    private final String queueKind = System.getProperty("probe.queue", "quorum");
    private final String publisherOn = System.getProperty("probe.publisher", "leader");
    private final int watchSeconds = Integer.getInteger("probe.seconds", 150);
    private final boolean jms = System.getProperty("probe.client", "amqp").equals("jms");
    private final int restartAfter = Integer.getInteger("probe.restart-after", -1);
    private final boolean newChannelOnNack = System.getProperty("probe.on-nack", "keep").equals("new-channel");
    /** Set by a nack when {@link #newChannelOnNack}: the publisher's next message goes out on a new channel. */
    private volatile boolean reopen;

    /** Per second since the start: [acked, nacked, publish failed, fresh acked, fresh nacked, fresh failed, consumed]. */
    private final Map<Long, int[]> seconds = new ConcurrentSkipListMap<>();
    private final AtomicReference<String> clientNode = new AtomicReference<>("-");
    private final AtomicReference<String> queueView = new AtomicReference<>("-");
    private final long start = System.nanoTime();
    /** The second (since the start) the leader was killed in. */
    private long killedAt;
    /** Held, so that its level stays: ConfirmedPublisher logs a line per refused task, 200 a second here. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger(ConfirmedPublisher.class.getName());

    public static void main(String[] args) throws Exception {
        new ClusterFailoverProbe().run();
    }

    @org.junit.jupiter.api.Test
    void aChannelOpenedAfterTheFailoverIsConfirmed() throws Exception {
        run();
        // The control that makes the probe's table mean something: whatever the publisher's own channel saw, a new
        // connection to a survivor gets its message confirmed once a new leader runs (from +2 s on here; counted from
        // +10 s, so that a slow election on a busy machine does not count).
        int freshAcked = 0, freshNacked = 0;
        for (Map.Entry<Long, int[]> second : seconds.entrySet()) {
            if (second.getKey() >= killedAt + 10) {
                freshAcked += second.getValue()[3];
                freshNacked += second.getValue()[4];
            }
        }
        org.assertj.core.api.Assertions.assertThat(freshAcked).as("fresh connections confirmed").isPositive();
        org.assertj.core.api.Assertions.assertThat(freshNacked).as("fresh connections nacked").isZero();
    }

    private int[] now() {
        return seconds.computeIfAbsent((System.nanoTime() - start) / 1_000_000_000L, s -> new int[7]);
    }

    void run() throws Exception {
        QUIET.setLevel(java.util.logging.Level.SEVERE);
        System.out.printf("probe: client=%s queue=%s publisher=%s on-nack=%s rate=%d/s, %s, load %s%n", jms ? "jms" : "amqp",
                queueKind, publisherOn,
                newChannelOnNack ? "new-channel" : "keep", RATE,
                LocalDateTime.now(), java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip());
        try (PrivateCluster cluster = PrivateCluster.start("probe-" + ProcessHandle.current().pid())) {
            PrivateBroker first = cluster.nodes().get(0);
            try (Connection admin = factory().newConnection(List.of(new Address("localhost", first.port())), "setup");
                 Channel channel = admin.createChannel()) {
                declare(channel);
            }
            PrivateBroker leader = cluster.leaderOf("/", TaskTopology.QUEUE);
            List<PrivateBroker> others = cluster.nodes().stream().filter(n -> n != leader).toList();
            PrivateBroker home = publisherOn.equals("leader") ? leader : others.get(0);
            System.out.printf("leader %s (port %d), publisher first on %s (port %d)%n", leader.nodeName(), leader.port(),
                    home.nodeName(), home.port());
            List<Address> publisherAddresses = new ArrayList<>();
            publisherAddresses.add(new Address("localhost", home.port()));
            cluster.nodes().stream().filter(n -> n != home).forEach(n -> publisherAddresses.add(new Address("localhost", n.port())));
            List<Address> survivors = others.stream().map(n -> new Address("localhost", n.port())).toList();

            Thread consumer = daemon("consumer", () -> consume(List.of(new Address("localhost", others.get(1).port()),
                    new Address("localhost", others.get(0).port()))));
            Thread watcher = daemon("watcher", () -> watch(cluster));
            AtomicInteger phase = new AtomicInteger(); // 0 before the kill, 1 after
            Thread publisher = daemon("publisher", () -> {
                if (jms) {
                    publishWithJms(publisherAddresses);
                } else {
                    publish(publisherAddresses);
                }
            });
            Thread fresh = daemon("fresh", () -> freshEverySecond(survivors, phase));
            consumer.start();
            watcher.start();
            publisher.start();
            fresh.start();

            sleepSeconds(6);
            killedAt = (System.nanoTime() - start) / 1_000_000_000L;
            System.out.printf("t=%ds kill -9 %s (pid %d)%n", killedAt, leader.nodeName(), leader.pid());
            cluster.kill(leader);
            phase.set(1);
            for (int s = 0; s < watchSeconds; s++) {
                if (s == restartAfter) {
                    daemon("restart", () -> {
                        leader.startNode();
                        System.out.printf("t=%ds %s runs again%n", (System.nanoTime() - start) / 1_000_000_000L, leader.nodeName());
                    }).start();
                }
                sleepSeconds(1);
                long t = (System.nanoTime() - start) / 1_000_000_000L - 1;
                int[] c = seconds.getOrDefault(t, new int[7]);
                System.out.printf("t=%3ds +%3ds | own: ack %3d nack %3d fail %3d | fresh: ack %d nack %d fail %d | consumed %3d | on %s | %s%n",
                        t, t - killedAt, c[0], c[1], c[2], c[3], c[4], c[5], c[6], clientNode.get(), queueView.get());
            }
            publisher.interrupt();
            fresh.interrupt();
            consumer.interrupt();
            watcher.interrupt();
            summarize(killedAt);
        }
    }

    private void summarize(long killedAt) {
        System.out.println("seconds around the kill (own channel: acked/nacked/failed; fresh connections: acked/nacked/failed; consumed):");
        for (long t = killedAt - 2; t <= killedAt + 12; t++) {
            int[] c = seconds.getOrDefault(t, new int[7]);
            System.out.printf("  +%3ds  own %3d/%3d/%3d  fresh %d/%d/%d  consumed %3d%n", t - killedAt, c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
        }
        long firstNack = -1, lastNack = -1, freshFirstNack = -1, freshLastNack = -1;
        int nacks = 0, freshNacks = 0;
        for (Map.Entry<Long, int[]> e : seconds.entrySet()) {
            int[] c = e.getValue();
            if (c[1] > 0) {
                nacks += c[1];
                firstNack = firstNack < 0 ? e.getKey() : firstNack;
                lastNack = e.getKey();
            }
            if (c[4] > 0) {
                freshNacks += c[4];
                freshFirstNack = freshFirstNack < 0 ? e.getKey() : freshFirstNack;
                freshLastNack = e.getKey();
            }
        }
        System.out.printf("summary: client=%s queue=%s publisher=%s on-nack=%s own nacks %d from +%ds to +%ds; fresh-connection nacks %d from +%ds to +%ds%n",
                jms ? "jms" : "amqp", queueKind, publisherOn, newChannelOnNack ? "new-channel" : "keep", nacks, firstNack - killedAt, lastNack - killedAt, freshNacks,
                freshFirstNack - killedAt, freshLastNack - killedAt);
    }

    private void declare(Channel channel) throws IOException {
        channel.exchangeDeclare(TaskTopology.EXCHANGE, "direct", true);
        channel.exchangeDeclare(TaskTopology.DEAD_LETTER_EXCHANGE, "fanout", true);
        channel.queueDeclare(TaskTopology.DEAD_LETTER_QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
        channel.queueBind(TaskTopology.DEAD_LETTER_QUEUE, TaskTopology.DEAD_LETTER_EXCHANGE, "");
        Map<String, Object> arguments = switch (queueKind) {
            case "quorum" -> TaskTopology.workQueueArguments(4, 10_000);
            case "quorum-plain" -> {
                Map<String, Object> plain = new HashMap<>(TaskTopology.workQueueArguments(4, 10_000));
                plain.remove("x-dead-letter-strategy");
                plain.remove("x-overflow");
                yield plain;
            }
            case "classic" -> Map.of("x-queue-type", "classic");
            default -> throw new IllegalArgumentException("probe.queue=" + queueKind);
        };
        System.out.println("declare tasks " + arguments);
        channel.queueDeclare(TaskTopology.QUEUE, true, false, false, arguments);
        channel.queueBind(TaskTopology.QUEUE, TaskTopology.EXCHANGE, "email");
    }

    private static ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setConnectionTimeout(2_000);
        factory.setAutomaticRecoveryEnabled(false); // as 02's clients: they reconnect themselves
        return factory;
    }

    /** 200 confirmed publishes a second on one channel; on a lost connection, straight to the next address. */
    private void publish(List<Address> addresses) {
        Pacer pacer = Pacer.fixedRate(RATE);
        byte[] body = "{\"type\":\"email\"}".getBytes(StandardCharsets.UTF_8);
        AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
        Connection connection = null;
        Channel channel = null;
        while (!Thread.currentThread().isInterrupted()) {
            pacer.awaitNext();
            try {
                if (reopen && channel != null && channel.isOpen()) {
                    reopen = false;
                    channel.abort(); // its unconfirmed messages: unknown, as on a lost connection
                    channel = connection.createChannel();
                    channel.confirmSelect();
                    channel.addConfirmListener((tag, multiple) -> count(0, tag, multiple),
                            (tag, multiple) -> count(1, tag, multiple));
                    outstanding.set(new ConcurrentSkipListMap<>());
                }
                if (channel == null || !channel.isOpen()) {
                    if (connection != null) {
                        connection.abort();
                    }
                    connection = factory().newConnection(addresses, "publisher"); // the first that answers
                    clientNode.set(connection.getAddress().getHostAddress() + ":" + connection.getPort());
                    channel = connection.createChannel();
                    channel.confirmSelect();
                    channel.addConfirmListener((tag, multiple) -> count(0, tag, multiple),
                            (tag, multiple) -> count(1, tag, multiple));
                    outstanding.set(new ConcurrentSkipListMap<>());
                }
                outstanding.get().put(channel.getNextPublishSeqNo(), Boolean.TRUE);
                channel.basicPublish(TaskTopology.EXCHANGE, "email", persistent, body);
            } catch (IOException | TimeoutException | RuntimeException e) {
                now()[2]++;
                channel = null;
            }
        }
    }

    /** 200 tasks a second through 02's own ConfirmedPublisher on the JMS client, which reconnects as the producer does. */
    private void publishWithJms(List<Address> addresses) {
        RMQDestination tasks = new RMQDestination(TaskTopology.QUEUE, TaskTopology.EXCHANGE, "email", null);
        ConfirmedPublisher publisher = new ConfirmedPublisher("task", "the cluster", 5_000, () -> {
            RMQConnectionFactory factory = new RMQConnectionFactory();
            factory.setUris(addresses.stream().map(a -> "amqp://" + a.getHost() + ":" + a.getPort()).toList());
            factory.setUsername("guest");
            factory.setPassword("guest");
            factory.setVirtualHost("/");
            factory.setAmqpConnectionFactoryPostProcessor(amqp -> {
                amqp.setConnectionTimeout(2_000);
                amqp.setAutomaticRecoveryEnabled(false);
            });
            factory.setAmqpConnectionPostProcessor(amqp -> clientNode.set("jms " + amqp.getAddress().getHostAddress() + ":" + amqp.getPort()));
            return factory.createConnection();
        });
        Pacer pacer = Pacer.fixedRate(RATE);
        while (!Thread.currentThread().isInterrupted()) {
            pacer.awaitNext();
            publisher.publish("probe", tasks, session -> session.createTextMessage("{\"type\":\"email\"}"), () -> { })
                    .whenComplete((ok, error) -> {
                        int column = error == null ? 0
                                : String.valueOf(error.getMessage()).contains("refused") ? 1 : 2;
                        int[] c = now();
                        synchronized (c) {
                            c[column]++;
                        }
                    });
        }
        publisher.close();
    }

    private final AtomicReference<ConcurrentSkipListMap<Long, Boolean>> outstanding =
            new AtomicReference<>(new ConcurrentSkipListMap<>());

    private void count(int column, long tag, boolean multiple) {
        ConcurrentSkipListMap<Long, Boolean> open = outstanding.get();
        int n;
        if (multiple) {
            var done = open.headMap(tag, true);
            n = done.size();
            done.clear();
        } else {
            n = open.remove(tag) != null ? 1 : 0;
        }
        int[] c = now();
        synchronized (c) {
            c[column] += n;
        }
        if (column == 1 && newChannelOnNack) {
            reopen = true;
        }
    }

    /** After the kill, once a second: a brand-new connection to a survivor publishes one message and waits for its confirm. */
    private void freshEverySecond(List<Address> survivors, AtomicInteger phase) {
        byte[] body = "{\"type\":\"email\"}".getBytes(StandardCharsets.UTF_8);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(1_000); // the probe's pace, not a wait for a condition: one fresh connection a second
            } catch (InterruptedException e) {
                return;
            }
            if (phase.get() == 0) {
                continue;
            }
            try (Connection connection = factory().newConnection(survivors, "fresh");
                 Channel channel = connection.createChannel()) {
                channel.confirmSelect();
                channel.basicPublish(TaskTopology.EXCHANGE, "email", new AMQP.BasicProperties.Builder().deliveryMode(2).build(), body);
                if (channel.waitForConfirms(5_000)) {
                    now()[3]++;
                } else {
                    now()[4]++;
                }
            } catch (Exception e) {
                now()[5]++;
            }
        }
    }

    /** One consumer that acks at once, so the queue stays far below its x-max-length; reconnects by itself. */
    private void consume(List<Address> addresses) {
        while (!Thread.currentThread().isInterrupted()) {
            try (Connection connection = factory().newConnection(addresses, "consumer")) {
                Channel channel = connection.createChannel();
                channel.basicQos(50);
                DeliverCallback onTask = (tag, delivery) -> {
                    channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                    int[] c = now();
                    synchronized (c) {
                        c[6]++;
                    }
                };
                channel.basicConsume(TaskTopology.QUEUE, false, onTask, tag -> { });
                while (connection.isOpen() && channel.isOpen()) {
                    Thread.sleep(200); // the consumer lives as long as its connection: checked 5 times a second
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                try {
                    Thread.sleep(500); // a pause before the next reconnect, as a client's back-off would
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** What a survivor says about the queue, as often as rabbitmqctl answers. */
    private void watch(PrivateCluster cluster) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                String rows = cluster.live().rabbitmqctl("list_queues", "name", "pid", "leader", "online", "messages",
                        "--quiet", "--no-table-headers");
                queueView.set(rows.lines().filter(l -> l.startsWith(TaskTopology.QUEUE + "\t")).findFirst().orElse(rows.strip())
                        .replaceAll("\\s+", " "));
            } catch (RuntimeException e) {
                queueView.set("rabbitmqctl failed: " + e.getMessage().lines().reduce((a, b) -> b).orElse(""));
            }
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void sleepSeconds(int n) throws InterruptedException {
        Thread.sleep(n * 1_000L); // the probe's own clock: it prints a line a second
    }
}
