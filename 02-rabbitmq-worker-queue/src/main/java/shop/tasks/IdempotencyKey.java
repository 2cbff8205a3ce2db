package shop.tasks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A client's {@code Idempotency-Key} header (IETF httpapi draft "The Idempotency-Key HTTP Header
 * Field"): a structured-field string such as {@code "8e03978e-40d5-43e8-bc93-6894a57f9324"}, and the
 * id it makes together with the request's body (02's task id, 03's event id; each module's task or event says
 * what makes two of its requests the same, its fingerprint).
 */
public record IdempotencyKey(String value) {

    public static final String HEADER = "Idempotency-Key";
    /** Long enough for any UUID, ULID or hash a client makes; short enough that 10,000 remembered keys stay small. */
    public static final int MAX_LENGTH = 255;

    /** A request's header fields, read: the key to use (empty when there is none), or why they are refused. */
    public sealed interface Parsed permits Valid, Invalid {
    }

    /** Header fields the request may go on with: one well-formed key, or no key at all. */
    public record Valid(Optional<IdempotencyKey> key) implements Parsed {
    }

    /** Why a header is refused, in one sentence; becomes a 400 problem+json. */
    public record Invalid(String detail) implements Parsed {
    }

    /** The key in the request's header fields, if it has one; a malformed or repeated header is refused. */
    public static Parsed from(List<String> fields) {
        if (fields == null || fields.isEmpty()) {
            return new Valid(Optional.empty());
        }
        if (fields.size() > 1) {
            return new Invalid("Send one " + HEADER + " header, not " + fields.size() + ".");
        }
        return parse(fields.get(0));
    }

    // tag::parse[]
    /** An RFC 8941 sf-string: DQUOTE, printable ASCII with \" and \\ escaped, DQUOTE; nothing else around it. */
    public static Parsed parse(String field) {
        String text = field.strip();
        if (text.length() < 2 || text.charAt(0) != '"') {
            return invalid();
        }
        StringBuilder value = new StringBuilder();
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                if (i != text.length() - 1 || value.isEmpty() || value.length() > MAX_LENGTH) {
                    return invalid(); // parameters, a second value, an empty or an over-long key
                }
                return new Valid(Optional.of(new IdempotencyKey(value.toString())));
            }
            if (c == '\\') {
                if (++i == text.length() || (text.charAt(i) != '"' && text.charAt(i) != '\\')) {
                    return invalid();
                }
                c = text.charAt(i);
            } else if (c < 0x20 || c > 0x7e) {
                return invalid();
            }
            value.append(c);
        }
        return invalid(); // no closing quote
    }
    // end::parse[]

    private static Invalid invalid() {
        return new Invalid("The " + HEADER + " header must be one quoted string of 1-" + MAX_LENGTH
                + " printable ASCII characters, such as \"8e03978e-40d5-43e8-bc93-6894a57f9324\".");
    }

    // tag::id[]
    /**
     * The id of the task or event this key asks for, made from the key and the request: the same on every retry,
     * on every instance and after a restart, with no shared state. The body is part of it, so a key reused for
     * another request after it was forgotten makes another id rather than silently become the first.
     */
    public String idFor(String fingerprint) {
        return UUID.nameUUIDFromBytes((HEADER + "\n" + value + "\n" + fingerprint).getBytes(StandardCharsets.UTF_8)).toString();
    }
    // end::id[]

    /** A short, fixed-size fingerprint of a request's canonical form (the validated fields, not the raw bytes). */
    public static String fingerprint(String canonical) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
