package shop.routing.ticks;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import shop.routing.Broker;
import shop.routing.Rule;
import shop.routing.Topics;
import shop.routing.Topology;

/**
 * The market-data subscribers: each counts the ticks its pattern selects, and the recorder keeps the last
 * price per venue and symbol for the live ticker. Not durable: a tick missed while a subscriber was down
 * is worthless afterwards.
 */
@ApplicationScoped
public class TickSubscribers {

    private static final Logger LOG = Logger.getLogger(TickSubscribers.class.getName());

    /** Who subscribes to which ticks: the market data's routing table, in one place. */
    // tag::tick-rules[]
    static final List<Rule> RULES = List.of(
            new Rule("aapl-watch", "tick.*.AAPL"),                   // one symbol, every venue
            new Rule("nasdaq-board", "tick.xnas.*"),                 // one venue, every symbol
            new Rule("tick-recorder", "tick.#"));                    // everything, for the record
    // end::tick-rules[]

    @Inject
    Broker broker;

    private final Map<String, AtomicLong> received = new LinkedHashMap<>();
    @Inject
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "routing.max-tick-symbols")
    int maxSymbols;

    /**
     * The last price per symbol@venue, at most routing.max-tick-symbols of them: the one updated longest ago makes
     * room for a new one. Unbounded, 300,000 made-up symbols were all kept.
     */
    private final Map<String, String> lastPrices = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > maxSymbols;
                }
            });
    /** The last ticks per subscriber as "key price", so a test can tell exactly which ticks arrived. Teaching aid. */
    private final Map<String, java.util.Deque<String>> recent = new ConcurrentHashMap<>();
    private final List<Session> sessions = new java.util.ArrayList<>();
    private final List<String> consumerTags = new java.util.ArrayList<>();
    /** The JMS connection the sessions are on (see {@link Broker#reconnectedSince}). */
    private long connection;

    public synchronized void start() throws JMSException {
        for (Rule rule : RULES) {
            received.put(rule.service(), new AtomicLong());
            recent.put(rule.service(), new java.util.ArrayDeque<>());
        }
        subscribe();
    }

    /**
     * Subscribes again once a reconnect closed the sessions, with the same counts and recent ticks; false if it was
     * not needed. For the watchdog: the ticks a subscriber missed meanwhile are worthless anyway.
     */
    public synchronized boolean resubscribeAfterReconnect() throws JMSException {
        if (!broker.reconnectedSince(connection)) {
            return false;
        }
        subscribe();
        return true;
    }

    private void subscribe() throws JMSException {
        close(); // none at first; after a reconnect, the dead ones, or those a failed try left
        long on = broker.connectionNumber(); // before the sessions: a reconnect after this makes them count as old
        for (Rule rule : RULES) {
            AtomicLong count = received.get(rule.service());
            java.util.Deque<String> last = recent.get(rule.service());
            // AUTO_ACKNOWLEDGE: this client acks before onMessage, so a failing listener loses the tick; accepted here.
            Session session = broker.session(Session.AUTO_ACKNOWLEDGE);
            sessions.add(session);
            jakarta.jms.MessageListener listener = message -> {
                count.incrementAndGet();
                try {
                    String seen = "tick." + message.getStringProperty("venue") + "." + message.getStringProperty("symbol")
                            + " " + ((TextMessage) message).getText();
                    synchronized (last) {
                        last.addLast(seen);
                        if (last.size() > 200) {
                            last.removeFirst();
                        }
                    }
                } catch (JMSException e) {
                    LOG.fine("unreadable tick: " + e);
                }
                if (rule.pattern().equals("tick.#")) {
                    try {
                        lastPrices.put(message.getStringProperty("symbol") + "@" + message.getStringProperty("venue"),
                                ((TextMessage) message).getText());
                    } catch (JMSException e) {
                        LOG.fine("unreadable tick: " + e);
                    }
                }
            };
            String subscription = Topology.TICKS + "." + rule.service();
            MessageConsumer consumer = session.createSharedConsumer(Topics.on(Topology.TICKS, rule.pattern()), subscription);
            // A tick the JMS client cannot read must not stop this subscriber: the guard logs it and lets it go on.
            String consumerTag = broker.ledger().consumerTagOf(() -> listen(consumer, listener));
            broker.guard().guardAutoAcknowledged(consumerTag, subscription);
            consumerTags.add(consumerTag);
        }
        connection = on;
    }

    private static void listen(MessageConsumer consumer, jakarta.jms.MessageListener listener) {
        try {
            consumer.setMessageListener(listener);
        } catch (JMSException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Ticks received so far, per subscriber, in the order of the rules. */
    public synchronized Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        received.forEach((name, count) -> counts.put(name, count.get()));
        return counts;
    }

    /** The last ticks each subscriber received, oldest first, as "tick.xnas.AAPL 231.50". */
    public Map<String, List<String>> recent() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        recent.forEach((name, last) -> {
            synchronized (last) {
                copy.put(name, List.copyOf(last));
            }
        });
        return copy;
    }

    /** The last price per symbol, as the recorder saw it. */
    public Map<String, String> lastPrices() {
        synchronized (lastPrices) {
            return Map.copyOf(lastPrices);
        }
    }

    @PreDestroy
    synchronized void stop() {
        close();
    }

    private void close() {
        for (Session session : sessions) {
            try {
                session.close();
            } catch (JMSException | RuntimeException e) {
                // already closed with the shared connection
            }
        }
        sessions.clear();
        consumerTags.forEach(broker.guard()::release);
        consumerTags.clear();
    }
}
