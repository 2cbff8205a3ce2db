package shop.orders;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one rule for "news or already seen", and what a page that comes back is given: both from the stream's order. */
class OrderViewsTest {

    private final OrderViews views = new OrderViews();

    @Test
    void theFirstCopyOfALaterStepIsNewsAndEveryOtherCopyIsNot() {
        assertThat(views.apply(step("o1", "ada", Stage.PLACED, 10))).isTrue();
        assertThat(views.apply(step("o1", "ada", Stage.PAID, 11))).isTrue();
        assertThat(views.apply(step("o1", "ada", Stage.PAID, 12))).as("a second copy of a step").isFalse();
        assertThat(views.apply(step("o1", "ada", Stage.PLACED, 13))).as("a late copy of an earlier step").isFalse();
        assertThat(views.apply(step("o1", "ada", Stage.DECLINED, 14))).as("another step of the same number").isFalse();
        assertThat(views.apply(step("o1", "ada", Stage.RESERVED, 15))).isTrue();

        assertThat(views.find("o1", "ada")).hasValueSatisfying(v -> assertThat(v.stage()).isEqualTo(Stage.RESERVED));
    }

    @Test
    void aPageThatComesBackGetsItsCustomersNewsAfterItsOffsetInStreamOrderAndNoCopies() {
        views.apply(step("o1", "ada", Stage.PLACED, 10));
        views.apply(step("o2", "bob", Stage.PLACED, 11));
        views.apply(step("o1", "ada", Stage.PAID, 12));
        views.apply(step("o1", "ada", Stage.PAID, 13));
        views.apply(step("o3", "ada", Stage.PLACED, 14));
        views.apply(step("o1", "ada", Stage.RESERVED, 15));

        assertThat(views.newsOf("ada", -1)).extracting(Progress::offset).containsExactly(10L, 12L, 14L, 15L);
        assertThat(views.newsOf("ada", 12)).extracting(Progress::offset).containsExactly(14L, 15L);
        assertThat(views.newsOf("ada", 15)).isEmpty();
        assertThat(views.newsOf("bob", -1)).extracting(Progress::orderId).isEqualTo(List.of("o2"));
        assertThat(views.newsOf("carol", -1)).isEmpty();
    }

    private static Progress step(String order, String customer, Stage stage, long offset) {
        return new Progress(order, customer, "c-" + order, stage, "mug", stage.label(), offset);
    }
}
