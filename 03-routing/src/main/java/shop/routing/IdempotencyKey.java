package shop.routing;

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
 * event id it makes together with the request's body.
 *
 * <p>The same as 02's {@code IdempotencyKey} (modules do not import each other), with an order event in place
 * of the task: {@code parse} is a true copy, {@code eventId} and {@code fingerprint} are 02's for an event.
 */
public record IdempotencyKey(String value) {

    public static final String HEADER = "Idempotency-Key";
    /** Long enough for any UUID, ULID or hash a client makes; short enough that 10,000 remembered keys stay small. */
    public static final int MAX_LENGTH = 255;

    /** Why a header is refused; becomes a 400 problem+json. */
    public static final class Invalid extends Exception {
        public Invalid(String detail) {
            super(detail, null, false, false);
        }
    }

    /** The key in the request's header fields, if it has one; a malformed or repeated header is refused. */
    public static Optional<IdempotencyKey> from(List<String> fields) throws Invalid {
        if (fields == null || fields.isEmpty()) {
            return Optional.empty();
        }
        if (fields.size() > 1) {
            throw new Invalid("Send one " + HEADER + " header, not " + fields.size() + ".");
        }
        return Optional.of(parse(fields.get(0)));
    }

    // tag::parse[]
    /** An RFC 8941 sf-string: DQUOTE, printable ASCII with \" and \\ escaped, DQUOTE; nothing else around it. */
    public static IdempotencyKey parse(String field) throws Invalid {
        String text = field.strip();
        if (text.length() < 2 || text.charAt(0) != '"') {
            throw invalid();
        }
        StringBuilder value = new StringBuilder();
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                if (i != text.length() - 1 || value.isEmpty() || value.length() > MAX_LENGTH) {
                    throw invalid(); // parameters, a second value, an empty or an over-long key
                }
                return new IdempotencyKey(value.toString());
            }
            if (c == '\\') {
                if (++i == text.length() || (text.charAt(i) != '"' && text.charAt(i) != '\\')) {
                    throw invalid();
                }
                c = text.charAt(i);
            } else if (c < 0x20 || c > 0x7e) {
                throw invalid();
            }
            value.append(c);
        }
        throw invalid(); // no closing quote
    }
    // end::parse[]

    private static Invalid invalid() {
        return new Invalid("The " + HEADER + " header must be one quoted string of 1-" + MAX_LENGTH
                + " printable ASCII characters, such as \"8e03978e-40d5-43e8-bc93-6894a57f9324\".");
    }

    // tag::event-id[]
    /**
     * The event's id, made from the key and the request: the same on every retry, after a restart, with no
     * shared state. The body is part of it, so a key reused for another request after it was forgotten makes
     * another event rather than silently become the first. (02's taskId, for an event.)
     */
    public String eventId(String fingerprint) {
        return UUID.nameUUIDFromBytes((HEADER + "\n" + value + "\n" + fingerprint).getBytes(StandardCharsets.UTF_8)).toString();
    }
    // end::event-id[]

    /** What makes two requests the same: the validated event (so field order and spacing do not count). */
    public static String fingerprint(OrderEvent event) {
        String canonical = event.key() + "\n" + event.orderId() + "\n" + event.amount().stripTrailingZeros().toPlainString();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
