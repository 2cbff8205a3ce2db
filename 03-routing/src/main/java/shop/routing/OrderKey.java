package shop.routing;

import java.util.List;

/**
 * The routing key of one order event, {@code order.<region>.<event>}, checked before anything is
 * published: a key names exactly one event, so it has no wildcards and no empty words.
 */
public record OrderKey(String region, String event) {

    public static final List<String> REGIONS = List.of("eu", "us", "apac");
    public static final List<String> EVENTS = List.of("created", "paid", "shipped", "cancelled");

    /** What {@link #parse} answers: a valid key, or why not. */
    public sealed interface Parsed permits Valid, Invalid {
    }

    public record Valid(OrderKey key) implements Parsed {
    }

    /** A refusal with a stable, kebab-case code and one sentence for the learner. */
    public record Invalid(String code, String title, String detail) implements Parsed {
    }

    // tag::validate[]
    public static Parsed parse(String key) {
        if (key == null || key.isBlank()) {
            return new Invalid("empty-key", "No routing key", "Give a key such as order.eu.paid.");
        }
        if (key.contains("*") || key.contains("#")) {
            return new Invalid("wildcard-in-key", "Wildcard in a publish key",
                    "'" + key + "' contains '*' or '#': those are binding patterns for subscribers; "
                            + "a published message names exactly one event, such as order.eu.paid.");
        }
        String[] words = key.split("\\.", -1);
        for (String word : words) {
            if (word.isEmpty()) {
                return new Invalid("empty-segment", "Empty segment in the key",
                        "'" + key + "' has an empty word between dots; it would match no binding that "
                                + "the services use. Write order.<region>.<event>.");
            }
        }
        if (words.length != 3 || !words[0].equals("order")) {
            return new Invalid("invalid-key", "Not an order key",
                    "'" + key + "' is not order.<region>.<event>, for example order.eu.paid.");
        }
        if (!REGIONS.contains(words[1])) {
            return new Invalid("unknown-region", "Unknown region",
                    "'" + words[1] + "' is not a region of the shop; use one of " + String.join(", ", REGIONS) + ".");
        }
        if (!EVENTS.contains(words[2])) {
            return new Invalid("unknown-event", "Unknown event",
                    "'" + words[2] + "' is not an order event; use one of " + String.join(", ", EVENTS) + ".");
        }
        return new Valid(new OrderKey(words[1], words[2]));
    }
    // end::validate[]

    @Override
    public String toString() {
        return "order." + region + "." + event;
    }
}
