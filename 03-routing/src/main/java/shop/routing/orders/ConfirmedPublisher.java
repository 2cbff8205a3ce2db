package shop.routing.orders;

import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Publishes persistent messages on a connection of its own and hands back a future that the broker's
 * publisher confirm completes, so that a caller says "accepted" only once the broker has the message.
 */
public final class ConfirmedPublisher {

    private static final Logger LOG = Logger.getLogger(ConfirmedPublisher.class.getName());
    /** After a failed connect, publishes fail at once for this long instead of each trying again. */
    private static final long RECONNECT_PAUSE_MS = 500;
    /** After a nack, a new session at most this often: a full queue nacks every publish, and need not cost more. */
    private static final long NEW_SESSION_PAUSE_MS = 1_000;
    /** A send the broker has held this long is stuck, not slow: the callers behind it answer at once. */
    private static final long HELD_SEND_MS = 1_000;
    /** A session sends this many messages, then a new one takes over: see {@link #renewAgedSession()}. */
    static final int MESSAGES_PER_SESSION = 10_000;

    /** The broker does not have the message: it is down, refused it, or did not confirm in time. */
    public static final class BrokerUnavailable extends Exception {
        public BrokerUnavailable(String detail, Throwable cause) {
            super(detail, cause);
        }
    }

    /** Opens the publisher's connection, as the module's own broker user, once what it publishes to is declared. */
    @FunctionalInterface
    public interface Connector {
        Connection connect() throws JMSException, BrokerUnavailable;
    }

    /** Writes one message in the publisher's session: its body and the properties its consumers read. */
    @FunctionalInterface
    public interface Writer {
        Message write(Session session) throws JMSException;
    }

    private final String what;
    private final String broker;
    private final long confirmTimeoutMs;
    private final Connector connector;
    private final int messagesPerSession;

    /**
     * The thread that sends, one message at a time: a JMS session belongs to one thread, and a send the broker holds
     * holds this thread, not a caller's (see {@link #refuseWhileHeld()}).
     */
    private final ExecutorService sender;
    /** When the send in progress began (System.nanoTime), or 0 while none is. */
    private volatile long sendingSince;
    // The sender thread's alone: only send() and disconnect() touch them.
    private Connection connection;
    private Session session;
    private MessageProducer producer;
    private long nextConnectAttempt;
    /** Set on the client's thread when the connection dies; the next publish starts over on a new one. */
    private volatile boolean broken;
    /** Set by a nack: the next publish goes out on a new session (see {@link #newSessionAfterNack()}). */
    private volatile boolean refused;
    private long nextNewSession;
    /** Messages sent on the current session; the sender thread's alone. */
    private int sentOnSession;
    /** Sessions opened so far; for teaching and the tests. */
    private final AtomicInteger sessionsOpened = new AtomicInteger();
    /**
     * Messages published whose confirm may still come. Each one leaves the set when it ends: a confirm,
     * a nack, or the death of the connection it was sent on, which fails them all at once.
     */
    private final Set<CompletableFuture<Void>> unconfirmed = ConcurrentHashMap.newKeySet();

    /**
     * @param what the word for a message in the errors the caller answers with: "task", "event", "command"
     * @param broker the broker's address, for those errors
     */
    public ConfirmedPublisher(String what, String broker, long confirmTimeoutMs, Connector connector) {
        this(what, broker, confirmTimeoutMs, connector, MESSAGES_PER_SESSION);
    }

    /** As above, with another number of messages per session; for the tests. */
    ConfirmedPublisher(String what, String broker, long confirmTimeoutMs, Connector connector, int messagesPerSession) {
        this.messagesPerSession = messagesPerSession;
        this.what = what;
        this.broker = broker;
        this.confirmTimeoutMs = confirmTimeoutMs;
        this.connector = connector;
        this.sender = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, what + "-publisher");
            thread.setDaemon(true);
            return thread;
        });
    }

    // tag::publish[]
    /**
     * Publishes a persistent message to {@code to}. The future completes when the broker confirms it (after
     * {@code whenConfirmed} has run), and fails when the broker refuses it, cannot be reached, or the
     * connection dies first. {@code label} names the message in the log. It returns at once: the sender
     * thread sends, so no caller's thread can be held by the broker (see {@link #refuseWhileHeld()}).
     */
    public CompletableFuture<Void> publish(String label, Destination to, Writer writer, Runnable whenConfirmed) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        // However it ends, it leaves the set: a confirm, a nack, a failed send, a dead connection.
        confirmed.whenComplete((ok, error) -> unconfirmed.remove(confirmed));
        CompletionListener listener = brokerAnswers(label, confirmed, whenConfirmed);
        long giveUp = deadline(); // the caller's confirm timeout, counted from now
        try {
            refuseWhileHeld();
            sender.execute(() -> send(to, writer, confirmed, listener, giveUp));
        } catch (BrokerUnavailable e) {
            confirmed.completeExceptionally(e);
        } catch (RejectedExecutionException e) {
            confirmed.completeExceptionally(new BrokerUnavailable("The publisher is closed: the " + what + " was not sent.", e));
        }
        return confirmed;
    }

    // tag::confirm[]
    /** What the broker's answer does: a confirm runs {@code whenConfirmed} and completes the future, a nack fails it. */
    private CompletionListener brokerAnswers(String label, CompletableFuture<Void> confirmed, Runnable whenConfirmed) {
        return new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                try {
                    whenConfirmed.run();
                } finally {
                    confirmed.complete(null);
                }
            }

            @Override
            public void onException(Message message, Exception e) {
                // A nack: the queue is at its x-max-length (reject-publish), or the broker failed to store it.
                LOG.warning(" [!] Refused '" + label + "': " + e.getMessage());
                refused = true; // the next publish takes a new session: see newSessionAfterNack
                confirmed.completeExceptionally(new BrokerUnavailable("The broker refused the " + what + " ("
                        + e.getMessage() + "): the queue is full, or the broker could not store it.", e));
            }
        };
    }
    // end::confirm[]

    /** Runs on the sender thread only, one message after another: it alone uses the connection and the session. */
    private void send(Destination to, Writer writer, CompletableFuture<Void> confirmed,
                      CompletionListener listener, long giveUp) {
        if (System.nanoTime() - giveUp > 0) {
            // Its caller has stopped waiting and answered 503: sent now, it would arrive after that answer.
            confirmed.completeExceptionally(new BrokerUnavailable("The " + what
                    + " waited its whole confirm timeout to be sent; it was not sent.", null));
            return;
        }
        try {
            connectIfNeeded();
            Message message = writer.write(session);
            // Added only now, on the connection it is sent on: a reconnect above fails the old connection's set.
            unconfirmed.add(confirmed);
            sendingSince = System.nanoTime();
            // PERSISTENT: written to disk, so the message survives a broker restart. The CompletionListener
            // makes this an async send, which the RabbitMQ JMS client maps to a publisher confirm.
            producer.send(to, message, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY,
                    Message.DEFAULT_TIME_TO_LIVE, listener);
            sentOnSession++;
        } catch (BrokerUnavailable e) {
            confirmed.completeExceptionally(e);
        } catch (JMSException | RuntimeException e) {
            // Said here too: the exception listener is not called when this send finds the dead connection first,
            // because closing a JMS connection (disconnect, below) silences its listener.
            LOG.warning(" [!] Lost the broker connection: a send failed (" + e + "); the next " + what + " opens a new one");
            disconnect();
            confirmed.completeExceptionally(new BrokerUnavailable("The broker at " + broker + " cannot be reached.", e));
        } finally {
            sendDone();
        }
    }
    // end::publish[]

    // tag::held[]
    /**
     * Says no at once while the broker holds a send. A send blocks in its socket write when the broker stops reading
     * the connection: its flow control holds a publisher that outpaces it, and a quorum queue's leader can wait for a
     * node that stopped answering (measured/ClusterFailover.md: a frozen node, at 200 tasks/s). The sender thread is
     * the only one it holds, and the messages queued behind it wait at most their confirm timeout. Once a send has
     * been held for {@value #HELD_SEND_MS} ms, nothing more is queued: the caller answers at once.
     */
    private void refuseWhileHeld() throws BrokerUnavailable {
        long heldMs = heldForMs();
        if (heldMs > HELD_SEND_MS) {
            throw new BrokerUnavailable("The broker at " + broker + " is not taking messages: a send has waited "
                    + heldMs + " ms for it. The " + what + " was not sent.", null);
        }
    }

    private void sendDone() {
        long heldMs = heldForMs();
        sendingSince = 0;
        if (heldMs > HELD_SEND_MS) {
            LOG.warning(" [!] A send was held " + heldMs + " ms by the broker; the " + what + "s after it answered at once");
        }
    }
    // end::held[]

    // tag::await[]
    /** Waits until the deadline for the confirm of a message published before, by this caller or an earlier one. */
    public void await(String label, CompletableFuture<Void> confirmed, long deadlineNanos) throws BrokerUnavailable {
        try {
            // The broker confirms once the message is safely in its queue (for a quorum queue: on a
            // majority of nodes' disks). Only then may the caller be told "accepted".
            confirmed.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BrokerUnavailable unavailable) {
                throw unavailable;
            }
            throw new BrokerUnavailable("The broker did not confirm the " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            // The confirm may still come (a frozen broker that thaws): the future stays in
            // unconfirmed until it does or the connection dies, so a retry with the same key can join it.
            LOG.warning(" [!] No confirm for '" + label + "' within " + confirmTimeoutMs + " ms");
            throw new BrokerUnavailable("The broker did not confirm the " + what + " within " + confirmTimeoutMs + " ms.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailable("Interrupted while waiting for the broker.", e);
        }
    }
    // end::await[]

    /** The deadline for a confirm awaited from now. */
    public long deadline() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(confirmTimeoutMs);
    }

    /** How long the send in progress has been held so far, in ms, or 0 while none is; for teaching and the tests. */
    public long heldForMs() {
        long since = sendingSince;
        return since == 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
    }

    /** How many published messages still wait for their confirm; for teaching and the tests. */
    public int unconfirmed() {
        return unconfirmed.size();
    }

    private void connectIfNeeded() throws JMSException, BrokerUnavailable {
        if (broken) {
            disconnect();
        }
        if (connection != null) {
            newSessionAfterNack();
            renewAgedSession();
            return;
        }
        if (System.currentTimeMillis() < nextConnectAttempt) {
            throw new BrokerUnavailable("The broker at " + broker + " is not reachable; retrying shortly.", null);
        }
        Connection fresh;
        try {
            fresh = connector.connect();
        } finally {
            // The pause starts when the attempt ends: a failed attempt can take longer than the pause on a busy machine.
            nextConnectAttempt = System.currentTimeMillis() + RECONNECT_PAUSE_MS;
        }
        fresh.setExceptionListener(e -> {
            LOG.warning(" [!] Lost the broker connection: " + e.getMessage());
            broken = true;
            failUnconfirmed(e);
        });
        broken = false;
        connection = fresh;
        openSession();
    }

    private void openSession() throws JMSException {
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(null);
        sentOnSession = 0;
        sessionsOpened.incrementAndGet();
    }

    // tag::new-session[]
    /**
     * After a nack, the next message goes out on a new session (a new AMQP channel), at most once a second. On RabbitMQ
     * before 3.12.5, a channel that first publishes to a quorum queue while the queue's record still names a leader
     * that just died keeps that dead leader for its whole life: it nacks every message, although a new leader runs
     * (measured/ClusterFailover.md). A new channel reads the record again. A full queue (reject-publish) nacks too; a
     * new session a second costs it little. What the old session still waited for fails, as on a lost connection.
     */
    private void newSessionAfterNack() throws JMSException {
        if (!refused || System.currentTimeMillis() < nextNewSession) {
            return;
        }
        refused = false;
        nextNewSession = System.currentTimeMillis() + NEW_SESSION_PAUSE_MS;
        failUnconfirmed(new JMSException("session replaced after a nack"));
        try {
            session.close();
        } catch (JMSException | RuntimeException e) {
            LOG.fine("closing the refused session: " + e);
        }
        openSession();
    }
    // end::new-session[]

    // tag::aged-session[]
    /**
     * After {@value #MESSAGES_PER_SESSION} messages, the next one goes out on a new session, once the broker has
     * confirmed what the old one sent (at most the confirm timeout: by then their callers have answered). The RabbitMQ
     * JMS client (3.7.0 to 3.9.0) matches confirms to messages in a map whose lower bound stops moving after the
     * first "multiple" confirm, so each later one walks the map from there: a session's confirms cost more the more it
     * has sent: 02's ConfirmSessionAgeExperiment measures a session slowing to a fraction of its speed within a few
     * hundred thousand messages, and a renewed one keeping it (02's measured/ConfirmSessionAgeExperiment.md).
     */
    private void renewAgedSession() throws JMSException {
        if (sentOnSession < messagesPerSession) {
            return;
        }
        try {
            CompletableFuture.allOf(unconfirmed.toArray(CompletableFuture[]::new))
                    .get(confirmTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A refused or unconfirmed message: its caller has its answer, and the old session goes all the same.
        }
        failUnconfirmed(new JMSException("session replaced after " + sentOnSession + " messages"));
        try {
            session.close();
        } catch (JMSException | RuntimeException e) {
            LOG.fine("closing the aged session: " + e);
        }
        openSession();
    }
    // end::aged-session[]

    /** Sessions this publisher has opened so far; for teaching and the tests. */
    public int sessionsOpened() {
        return sessionsOpened.get();
    }

    // tag::connection-lost[]
    /**
     * Whether the broker got these is unknown, so each waiting caller fails. A retry carries the same id
     * (an Idempotency-Key, an order id), so a message that did arrive is handled once.
     */
    void failUnconfirmed(Exception cause) {
        BrokerUnavailable lost = new BrokerUnavailable("The connection to the broker dropped before it confirmed the "
                + what + ": it may or may not have it.", cause);
        unconfirmed.forEach(f -> f.completeExceptionally(lost));
    }
    // end::connection-lost[]

    /**
     * Stops the sender thread and closes the connection; a confirm cannot come on a closed connection, so nothing
     * may wait for one. A send the broker still holds is given the confirm timeout to end.
     */
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(confirmTimeoutMs, TimeUnit.MILLISECONDS)) {
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        disconnect();
    }

    private void disconnect() {
        if (connection != null) {
            failUnconfirmed(new JMSException("connection closed"));
            try {
                connection.close();
            } catch (JMSException | RuntimeException e) {
                LOG.fine("closing a dead connection: " + e);
            }
        }
        connection = null;
        session = null;
        producer = null;
    }
}
