package shop.routing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event ids one service has handled lately, so that a duplicate that slipped past the publisher (a retry
 * after a lost confirm, a copy sent again by hand) is handled once; bounded: the oldest id makes room.
 */
public final class HandledEvents {

    /** Enough for any retry to come back within; 10,000 ids of 36 characters are about 1 MB. */
    static final int CAPACITY = 10_000;

    // tag::first[]
    private final Map<String, Boolean> ids = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    /** True the first time {@code eventId} is seen, false for a repeat; an event without an id is always new. */
    public synchronized boolean first(String eventId) {
        return eventId == null || ids.put(eventId, Boolean.TRUE) == null;
    }
    // end::first[]
}
