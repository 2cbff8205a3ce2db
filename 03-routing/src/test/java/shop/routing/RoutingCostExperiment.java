package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import com.rabbitmq.perf.PerfTest;
import course.testkit.ExperimentProperties;
import course.testkit.Machine;
import course.testkit.Pacer;
import course.testkit.RabbitVhost;
import course.testkit.ResultTable;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What routing costs, measured on the real broker from this JVM (no application server in the way): the
 * same JMS publisher and consumer through a direct exchange, a topic exchange with 1, 10 and 100 bindings,
 * and an x-jms-topic selector; RabbitMQ PerfTest on the same broker as the anchor; and the tick ingestion
 * rate at which every pattern subscriber keeps up. Prints tables; asserts that nothing was lost in any row (routing
 * and ingestion), and that PerfTest ran and printed its numbers.
 */
@ExtendWith(RabbitVhost.class)
class RoutingCostExperiment {

    private static final String EXCHANGE = "bench.orders";
    private static final String TICKS = "bench.ticks";

    @Test
    void routingCostsLittleNextToTheBrokersOwnCeilingAndEveryTickSubscriberKeepsUp() throws Exception {
        int messages = ExperimentProperties.integer("experiment.messages", 5_000);
        int perfSeconds = ExperimentProperties.integer("experiment.perf-seconds", 5);
        String body = "x".repeat(ExperimentProperties.integer("experiment.bytes", 200));

        try (Connection amqp = RabbitVhost.amqpFactory().newConnection("experiment");
             Channel channel = amqp.createChannel()) {
            channel.exchangeDeclare(EXCHANGE, "topic", false, true, null);
            channel.exchangeDeclare(TICKS, "topic", false, true, null);

            ResultTable cost = ResultTable.of("Routing cost: one JMS publisher, one JMS consumer, " + messages
                            + " persistent messages of " + body.length() + " B, prefetch 50, client ack",
                    "route", "publish rate", "delivery rate", "delivered");
            jakarta.jms.Connection jms = jmsFactory().createConnection();
            try {
                jms.start();
                run(jms, messages, body, s -> s.createQueue("bench-warm-up"), s -> s.createQueue("bench-warm-up"), null); // JIT warm-up, not reported
                // direct: a JMS queue is a direct exchange (jms.durable.queues) with the queue's name as the key
                Run direct = run(jms, messages, body, s -> s.createQueue("bench-direct"), s -> s.createQueue("bench-direct"), null);
                cost.row("direct exchange (JMS queue)", direct.publishRate(), direct.deliveryRate(), direct.delivered(messages));
                List<Run> runs = new ArrayList<>(List.of(direct));
                for (int bindings : new int[] {1, 10, 100}) {
                    // bindings - 1 queues whose patterns never match: the exchange checks them for every message
                    for (int i = 1; i < bindings; i++) {
                        String queue = "bench-idle-" + i;
                        channel.queueDeclare(queue, false, false, true, null);
                        channel.queueBind(queue, EXCHANGE, "order.idle" + i + ".#");
                    }
                    Run topic = run(jms, messages, body, s -> Topics.on(EXCHANGE, "order.us.paid"),
                            s -> Topics.on(EXCHANGE, "order.*.paid"), null);
                    cost.row("topic exchange, " + bindings + " binding" + (bindings > 1 ? "s" : ""),
                            topic.publishRate(), topic.deliveryRate(), topic.delivered(messages));
                    runs.add(topic);
                }
                Run selector = run(jms, messages, body, s -> Topics.on(EXCHANGE, "order.us.paid"),
                        s -> Topics.on(EXCHANGE, "order.#"), "amount > 1000 AND region = 'us'");
                cost.row("x-jms-topic, selector amount > 1000 AND region = 'us'", selector.publishRate(),
                        selector.deliveryRate(), selector.delivered(messages));
                runs.add(selector);
                String[] anchor = perfTest(perfSeconds, body.length());
                cost.row("RabbitMQ PerfTest (anchor), " + perfSeconds + " s, same size and prefetch", anchor[0], anchor[1], anchor[2]);
                cost.note("Machine: " + Machine.describe());
                cost.print();
                assertThat(runs).as("every routing row: 0 lost").hasSize(5)
                        .allSatisfy(r -> assertThat(r.received()).isEqualTo(messages));

                List<String> lost = new ArrayList<>();
                ingestion(jms, lost).print();
                assertThat(lost).as("every ingestion row and subscriber: 0 lost").isEmpty();
            } finally {
                jms.close();
            }
        }
    }

    @Test
    void aPerfTestRunThatFailsFailsTheExperimentInsteadOfLeavingAnEmptyAnchorRow() {
        // A vhost that does not exist: PerfTest cannot connect, so it can print no rates.
        assertThatThrownBy(() -> perfTest(1, 200, RabbitVhost.name() + "-missing")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("PerfTest");
    }

    /** Ticks at a fixed rate to three pattern subscribers; a rate is sustained when every subscriber has all its ticks within a second. */
    private ResultTable ingestion(jakarta.jms.Connection jms, List<String> lost) throws Exception {
        int seconds = ExperimentProperties.integer("experiment.tick-seconds", 3);
        String[] rates = System.getProperty("experiment.tick-rates", "1000,4000").split(",");
        ResultTable table = ResultTable.of("Tick ingestion: " + seconds + " s at each rate, 3 venues x 10 symbols, "
                + "non-persistent, subscribers tick.*.AAPL, tick.xnas.*, tick.#", "offered ticks/s", "sent",
                "tick.*.AAPL", "tick.xnas.*", "tick.#", "all kept up");
        String[] venues = {"xnas", "xlon", "xetr"};
        String[] symbols = {"AAPL", "MSFT", "VOD", "SAP", "NVDA", "AMZN", "BP", "SIE", "GOOG", "TSLA"};
        String[] patterns = {"tick.*.AAPL", "tick.xnas.*", "tick.#"};
        for (String rateText : rates) {
            int rate = Integer.parseInt(rateText.trim());
            int total = rate * seconds;
            AtomicLong[] counts = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
            long[] expected = new long[3];
            List<Session> sessions = new ArrayList<>();
            for (int p = 0; p < patterns.length; p++) {
                Session session = jms.createSession(Session.AUTO_ACKNOWLEDGE);
                sessions.add(session);
                AtomicLong count = counts[p];
                session.createConsumer(Topics.on(TICKS, patterns[p])).setMessageListener(m -> count.incrementAndGet());
            }
            Session publisher = jms.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = publisher.createProducer(null);
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            List<Destination> keys = new ArrayList<>();
            for (String venue : venues) {
                for (String symbol : symbols) {
                    keys.add(Topics.on(TICKS, "tick." + venue + "." + symbol));
                }
            }
            Pacer pacer = Pacer.fixedRate(rate);
            for (int i = 0; i < total; i++) {
                pacer.awaitNext();
                int k = i % keys.size();
                String venue = venues[k / symbols.length];
                String symbol = symbols[k % symbols.length];
                expected[0] += symbol.equals("AAPL") ? 1 : 0;
                expected[1] += venue.equals("xnas") ? 1 : 0;
                expected[2]++;
                producer.send(keys.get(k), publisher.createTextMessage("231.50"));
            }
            long lastSent = System.nanoTime();
            boolean keptUp = waitFor(() -> counts[0].get() >= expected[0] && counts[1].get() >= expected[1]
                    && counts[2].get() >= expected[2], 1_000);
            long drained = System.nanoTime();
            if (!keptUp) { // let it drain, so the next rate starts clean and the table can say how far behind it was
                waitFor(() -> counts[2].get() >= expected[2], 30_000);
            }
            for (int p = 0; p < patterns.length; p++) {
                if (counts[p].get() != expected[p]) {
                    lost.add(rate + " ticks/s, " + patterns[p] + ": " + counts[p].get() + " of " + expected[p]);
                }
            }
            table.row(rate, total, counts[0].get() + " / " + expected[0], counts[1].get() + " / " + expected[1],
                    counts[2].get() + " / " + expected[2], keptUp ? String.format(Locale.ROOT, "yes (last tick after %.0f ms)",
                            (drained - lastSent) / 1e6) : "no: behind by more than 1 s");
            for (Session session : sessions) {
                session.close();
            }
            publisher.close();
        }
        return table.note("Machine: " + Machine.describe());
    }

    private record Run(long publishNanos, long deliverNanos, int received) {
        String publishRate() {
            return rate(received, publishNanos);
        }

        String deliveryRate() {
            return rate(received, deliverNanos);
        }

        String delivered(int sent) {
            return received + " / " + sent;
        }

        static String rate(int count, long nanos) {
            return String.format(Locale.ROOT, "%,.0f msg/s", count / (nanos / 1e9));
        }
    }

    @FunctionalInterface
    private interface DestinationFor {
        Destination in(Session session) throws JMSException;
    }

    private Run run(jakarta.jms.Connection jms, int messages, String body, DestinationFor to, DestinationFor from,
                    String selector) throws Exception {
        Session consumerSession = jms.createSession(Session.CLIENT_ACKNOWLEDGE);
        Session producerSession = jms.createSession(Session.AUTO_ACKNOWLEDGE);
        try {
            CountDownLatch all = new CountDownLatch(messages);
            MessageConsumer consumer = consumerSession.createConsumer(from.in(consumerSession), selector);
            consumer.setMessageListener(m -> {
                all.countDown();
                try {
                    m.acknowledge();
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            MessageProducer producer = producerSession.createProducer(to.in(producerSession));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                TextMessage message = producerSession.createTextMessage(body);
                message.setStringProperty("region", "us");
                message.setDoubleProperty("amount", 5000);
                producer.send(message);
            }
            long published = System.nanoTime();
            boolean done = all.await(120, TimeUnit.SECONDS);
            long delivered = System.nanoTime();
            return new Run(published - start, delivered - start, done ? messages : (int) (messages - all.getCount()));
        } finally {
            consumerSession.close();
            producerSession.close();
        }
    }

    /**
     * PerfTest in-process: one producer, one consumer, the same message size, prefetch and persistence. Fails if
     * PerfTest exits with a status other than 0 or does not print both rates: a missing anchor is not a result.
     */
    private static String[] perfTest(int seconds, int bytes) {
        return perfTest(seconds, bytes, RabbitVhost.name());
    }

    private static String[] perfTest(int seconds, int bytes, String vhost) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.concurrent.atomic.AtomicReference<Integer> exit = new java.util.concurrent.atomic.AtomicReference<>();
        String uri = "amqp://" + RabbitVhost.username() + ":" + RabbitVhost.password() + "@" + RabbitVhost.host() + ":"
                + RabbitVhost.port() + "/" + RabbitVhost.encode(vhost);
        PerfTest.main(new String[] {"--uri", uri, "--producers", "1", "--consumers", "1", "--size", String.valueOf(bytes),
                        "--time", String.valueOf(seconds), "--qos", "50", "--flag", "persistent", "--queue", "bench-perftest",
                        "--id", "anchor"},
                new PerfTest.PerfTestOptions().setSystemExiter(exit::set)
                        .setConsoleOut(new PrintStream(out, true, StandardCharsets.UTF_8)));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(exit.get()).as("PerfTest's exit status; its output:%n%s", text).isIn(null, 0);
        String[] rates = {summary(text, "sending rate avg"), summary(text, "receiving rate avg"), "(PerfTest's own count)"};
        assertThat(rates[0] + rates[1]).as("PerfTest's rates; its output:%n%s", text).doesNotContain("n/a");
        return rates;
    }

    private static String summary(String output, String label) {
        Matcher m = Pattern.compile(label + ": ([0-9]+) msg/s").matcher(output);
        return m.find() ? String.format(Locale.ROOT, "%,d msg/s", Long.parseLong(m.group(1))) : "n/a (" + label + " not printed)";
    }

    /** Whether {@code condition} became true within {@code millis}; checked every 5 ms. */
    private static boolean waitFor(java.util.concurrent.Callable<Boolean> condition, long millis) {
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMillis(millis))
                    .pollInterval(java.time.Duration.ofMillis(5)).until(condition);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    private static RMQConnectionFactory jmsFactory() {
        RMQConnectionFactory factory = RabbitVhost.jmsFactory();
        factory.setChannelsQos(50);
        return factory;
    }
}
