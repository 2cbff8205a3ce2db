package shop.routing;

import java.util.Arrays;
import java.util.Optional;

/**
 * Checks the size of a binding pattern before it reaches the broker. RabbitMQ matches a {@code #} by trying every
 * split of the key, so its work per published message grows steeply with the number of {@code #} in any one
 * binding: one pattern of 127 {@code #} kept a shared broker busy on 1-2 cores for minutes.
 */
final class PatternCheck {

    private PatternCheck() {
    }

    /** Why {@code pattern} is too big, or empty when it is within the limits. */
    static Optional<String> problem(String pattern, int maxLength, int maxWords, int maxHashes) {
        if (pattern.length() > maxLength) {
            return Optional.of("it has " + pattern.length() + " characters, at most " + maxLength + " (routing.pattern-max-length)");
        }
        String[] words = pattern.split("\\.", -1);
        if (words.length > maxWords) {
            return Optional.of("it has " + words.length + " words, at most " + maxWords + " (routing.pattern-max-words)");
        }
        long hashes = Arrays.stream(words).filter("#"::equals).count();
        if (hashes > maxHashes) {
            return Optional.of("it has " + hashes + " '#', at most " + maxHashes + " (routing.pattern-max-hashes)");
        }
        return Optional.empty();
    }
}
