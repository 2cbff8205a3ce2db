package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The producer's memory of keys: one publish per key at a time, 422 for another body, forgotten after the ttl or beyond the bound. */
class IdempotencyKeysTest {

    private final AtomicLong now = new AtomicLong();
    private final IdempotencyKeys keys = new IdempotencyKeys(Duration.ofSeconds(60), 3, now::get);

    @Test
    void theFirstRequestPublishesAndARepeatWaitsForTheSameConfirm() throws Exception {
        IdempotencyKeys.Claim first = keys.claim(key("a"), "body-1", "id-1");
        IdempotencyKeys.Claim racing = keys.claim(key("a"), "body-1", "id-1");

        assertThat(first.publish()).isTrue();
        assertThat(racing.publish()).isFalse();
        assertThat(racing.attempt()).isSameAs(first.attempt());
        first.attempt().complete(null);
        assertThat(keys.claim(key("a"), "body-1", "id-1").publish()).as("confirmed: answer 202 again, publish nothing").isFalse();
    }

    @Test
    void aRetryAfterAFailedAttemptPublishesAgain() throws Exception {
        IdempotencyKeys.Claim first = keys.claim(key("a"), "body-1", "id-1");
        first.attempt().completeExceptionally(new IllegalStateException("connection dropped"));

        IdempotencyKeys.Claim retry = keys.claim(key("a"), "body-1", "id-1");

        assertThat(retry.publish()).isTrue();
        assertThat(retry.attempt()).isNotSameAs(first.attempt());
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() throws Exception {
        keys.claim(key("a"), "body-1", "id-1");

        assertThatThrownBy(() -> keys.claim(key("a"), "body-2", "id-2")).isInstanceOf(IdempotencyKeys.KeyReused.class);
    }

    @Test
    void aKeyIsForgottenAfterItsTtl() throws Exception {
        keys.claim(key("a"), "body-1", "id-1");
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(keys.size()).isEqualTo(1);

        now.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(keys.size()).isZero();
        assertThat(keys.claim(key("a"), "body-2", "id-2").publish()).isTrue();
    }

    @Test
    void beyondTheBoundTheOldestKeyIsForgotten() throws Exception {
        for (String k : new String[] {"a", "b", "c", "d"}) {
            keys.claim(key(k), "body-" + k, "id-" + k);
        }

        assertThat(keys.size()).isEqualTo(3);
        assertThat(keys.claim(key("a"), "another body", "id-x").publish()).as("a was forgotten: no 422").isTrue();
    }

    private static IdempotencyKey key(String value) {
        return new IdempotencyKey(value);
    }
}
