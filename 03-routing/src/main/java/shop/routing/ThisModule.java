package shop.routing;

/**
 * What the files copied between the course's modules (the root README's copies table) need to know about this
 * one: the copies stay identical, and what differs lives here (and in {@link Handshakes}).
 */
final class ThisModule {

    /** The prefix of this module's configuration keys: {@code routing.max-body-bytes} and so on. */
    static final String KEYS = "routing.";

    /** The last sentence of every refusal: what the refused request did not do. */
    static final String NOTHING_DONE = "Nothing was done.";

    private ThisModule() {
    }
}
