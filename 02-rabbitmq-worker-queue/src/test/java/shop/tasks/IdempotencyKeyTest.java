package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Idempotency-Key header is a structured-field string, and the task id it makes depends on nothing else but the request. */
class IdempotencyKeyTest {

    private static final Task EMAIL = new Task("random-id", TaskType.EMAIL, "A-1", "ada@example.com", -1, 0);

    @Test
    void aQuotedStringIsAKeyWithItsEscapesUndone() {
        assertThat(key("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"").value())
                .isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");
        assertThat(key(" \"a \\\"b\\\" \\\\c\" ").value()).isEqualTo("a \"b\" \\c");
        assertThat(IdempotencyKey.from(null)).isEqualTo(new IdempotencyKey.Valid(Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8e03978e", "\"\"", "\"open", "\"a\";p=1", "\"a\", \"b\"", "\"bad \\n escape\"", "\"tab\there\"", "'single'"})
    void anythingElseIsRefused(String field) {
        assertThat(IdempotencyKey.parse(field)).isInstanceOfSatisfying(IdempotencyKey.Invalid.class,
                invalid -> assertThat(invalid.detail()).contains("must be one quoted string"));
    }

    @Test
    void anOverLongKeyAndTwoHeadersAreRefused() {
        assertThat(IdempotencyKey.parse("\"" + "k".repeat(IdempotencyKey.MAX_LENGTH + 1) + "\""))
                .isInstanceOf(IdempotencyKey.Invalid.class);
        assertThat(IdempotencyKey.from(List.of("\"a\"", "\"b\""))).isInstanceOfSatisfying(IdempotencyKey.Invalid.class,
                invalid -> assertThat(invalid.detail()).contains("not 2"));
    }

    @Test
    void theSameKeyAndRequestMakeTheSameTaskIdWithoutAnySharedState() {
        Task first = EMAIL.namedBy(key("\"k-1\""));
        Task again = new Task("other-random-id", TaskType.EMAIL, "A-1", "ada@example.com", -1, 0).namedBy(key("\"k-1\""));

        assertThat(again.id()).isEqualTo(first.id()).matches("[0-9a-f-]{36}");
        assertThat(EMAIL.namedBy(key("\"k-2\"")).id()).isNotEqualTo(first.id());
        assertThat(new Task("x", TaskType.EMAIL, "A-2", "ada@example.com", -1, 0).namedBy(key("\"k-1\"")).id())
                .as("another request under a forgotten key is another task, not silently the first one")
                .isNotEqualTo(first.id());
    }

    /** The key a well-formed header field holds. */
    private static IdempotencyKey key(String field) {
        return ((IdempotencyKey.Valid) IdempotencyKey.parse(field)).key().orElseThrow();
    }
}
