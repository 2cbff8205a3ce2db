package shop.tasks;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The publisher's memory of recent Idempotency-Keys: which request each one came with, and its
 * publish, so a repeat joins the first one's task or event instead of making another. Bounded and
 * expiring: losing an entry loses only the 422 check and the shared wait, never exactly-once, because
 * the id comes from the key itself ({@link IdempotencyKey#idFor}).
 */
@ApplicationScoped
public class IdempotencyKeys {

    /** The same key came with another request body: a client bug, answered 422. */
    public static final class KeyReused extends Exception {
        public KeyReused() {
            super(null, null, false, false);
        }
    }

    /** What the publisher remembers of a key. */
    public record Entry(String fingerprint, String id, CompletableFuture<Void> attempt, long createdNanos) {
    }

    /**
     * The answer to a request with a key: the attempt to wait for, and whether this request must
     * publish it (the first request, or a retry after the last attempt failed) or only join it.
     */
    public record Claim(CompletableFuture<Void> attempt, boolean publish) {
    }

    /** How long a key is remembered, from its first request. */
    @Inject
    @ConfigProperty(name = ThisModule.KEYS + "idempotency-key.ttl-s")
    long ttlSeconds;

    /** At most this many keys are remembered; beyond it the oldest is forgotten early. */
    @Inject
    @ConfigProperty(name = ThisModule.KEYS + "idempotency-key.max-keys")
    int maxKeysSetting;

    private Duration ttl;
    private int maxKeys;
    private LongSupplier clock = System::nanoTime;
    /** Oldest first: expiry and eviction look at the head only. */
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    IdempotencyKeys() {
    }

    /** For the unit test: a store with its own limits and clock. */
    IdempotencyKeys(Duration ttl, int maxKeys, LongSupplier clock) {
        this.ttl = ttl;
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    @PostConstruct
    void configure() {
        ttl = Duration.ofSeconds(ttlSeconds);
        maxKeys = maxKeysSetting;
    }

    // tag::claim[]
    public synchronized Claim claim(IdempotencyKey key, String fingerprint, String id) throws KeyReused {
        forgetExpired();
        Entry known = entries.get(key.value());
        if (known == null) {
            Entry first = new Entry(fingerprint, id, new CompletableFuture<>(), clock.getAsLong());
            entries.put(key.value(), first);
            if (entries.size() > maxKeys) {
                // The oldest key goes early; a retry of it still makes the same id.
                entries.remove(entries.keySet().iterator().next());
            }
            return new Claim(first.attempt(), true);
        }
        if (!known.fingerprint().equals(fingerprint)) {
            throw new KeyReused();
        }
        if (known.attempt().isCompletedExceptionally()) {
            // The last attempt got a 503: publish again, under the same id.
            Entry retry = new Entry(fingerprint, id, new CompletableFuture<>(), known.createdNanos());
            entries.put(key.value(), retry);
            return new Claim(retry.attempt(), true);
        }
        // Confirmed already (answer 202 again), or still waiting for its confirm (wait with it).
        return new Claim(known.attempt(), false);
    }
    // end::claim[]

    public synchronized int size() {
        forgetExpired();
        return entries.size();
    }

    private void forgetExpired() {
        long now = clock.getAsLong();
        for (Iterator<Entry> oldest = entries.values().iterator(); oldest.hasNext(); ) {
            if (now - oldest.next().createdNanos() < ttl.toNanos()) {
                return;
            }
            oldest.remove();
        }
    }
}
