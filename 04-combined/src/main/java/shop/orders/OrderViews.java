package shop.orders;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's view of every order, built from the progress stream: who owns it, which stage it
 * is at, and whether its question has been answered here. Every instance builds the same view from
 * the same stream, so any of them can check an answer: no shared memory between instances.
 */
@ApplicationScoped
public class OrderViews {

    /** One order as this instance has seen it. */
    public record View(String orderId, String customer, String correlationId, String item, Stage stage, long offset) {
    }

    /** What checking an answer found. */
    public enum Claim { CLAIMED, NO_SUCH_QUESTION, ALREADY_ANSWERED }

    private final Map<String, View> byId = new ConcurrentHashMap<>();
    /** Per customer, the steps that were news, in stream order: what a page that comes back has missed. */
    private final Map<String, List<Progress>> news = new HashMap<>();
    /** Orders that asked their customer a question: only these can be answered. */
    private final Set<String> asked = ConcurrentHashMap.newKeySet();
    /** Orders whose question an answer has been sent for from this instance, before the stream shows it. */
    private final Map<String, Boolean> answered = new ConcurrentHashMap<>();

    // tag::first-copy[]
    /**
     * The one rule for "news or already seen", for the next update read from the stream, in stream
     * order: news is the first copy of a later step of its order, and goes into the view. A command
     * that was delivered twice publishes its step twice; the second copy is not news. Every instance
     * reads the same stream in the same order, so every instance decides the same for every offset,
     * and a customer who moves from one instance to the other sees each step once.
     */
    synchronized boolean apply(Progress progress) {
        View before = byId.get(progress.orderId());
        if (before != null && progress.stage().number() <= before.stage().number()) {
            return false;
        }
        byId.put(progress.orderId(),
                new View(progress.orderId(), progress.customer(), progress.correlationId(), progress.item(),
                        progress.stage(), progress.offset()));
        news.computeIfAbsent(progress.customer(), c -> new ArrayList<>()).add(progress);
        if (progress.stage() == Stage.BACKORDERED) {
            asked.add(progress.orderId());
        }
        return true;
    }

    /** The customer's news after {@code offset}, in stream order: what a page that resumes there has missed. */
    synchronized List<Progress> newsOf(String customer, long offset) {
        return news.getOrDefault(customer, List.of()).stream().filter(p -> p.offset() > offset).toList();
    }
    // end::first-copy[]

    /** The order, if it belongs to this customer; someone else's order looks exactly like one that does not exist. */
    public Optional<View> find(String orderId, String customer) {
        return Optional.ofNullable(byId.get(orderId)).filter(v -> v.customer().equals(customer));
    }

    /** The order, whoever owns it: only to tell whether an order id is taken (see {@link Placements}). */
    Optional<View> any(String orderId) {
        return Optional.ofNullable(byId.get(orderId));
    }

    public List<View> of(String customer) {
        return byId.values().stream().filter(v -> v.customer().equals(customer))
                .sorted(java.util.Comparator.comparingLong(View::offset)).toList();
    }

    // tag::claim[]
    /** Claims the right to answer this order's question, once; the caller releases it if sending fails. */
    public Claim claimAnswer(String orderId, String customer) {
        Optional<View> order = find(orderId, customer);
        if (order.isEmpty() || !asked.contains(orderId)) {
            return Claim.NO_SUCH_QUESTION;
        }
        if (order.get().stage() != Stage.BACKORDERED || answered.putIfAbsent(orderId, true) != null) {
            return Claim.ALREADY_ANSWERED;
        }
        return Claim.CLAIMED;
    }
    // end::claim[]

    public void releaseAnswer(String orderId) {
        answered.remove(orderId);
    }
}
