package shop.routing.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import shop.routing.Barrier;
import shop.routing.DeployedRouting;
import shop.routing.RoutingApi;
import shop.routing.TruthTable;

/**
 * Exercise 1, a new service by its routing rule alone: apac-analytics gets every event of every APAC order and
 * nothing else, exactly as the answer column in the README's solution block says, and the publisher is unchanged.
 */
class ApacAnalyticsIT extends DeployedRouting {

    @BeforeEach
    void exerciseOneIsSolved() {
        ExerciseCheck.assertServiceRuns(api(), "apac-analytics",
                "Exercise 1 is not solved yet: no service apac-analytics started with the shop (GET /api/services); "
                        + "see 03-routing/README.md, Exercises, 1. Add a service by its routing rule alone");
    }

    @Test
    void theAnswerColumnCoversEveryRowOfTheLessonsTruthTable() {
        assertThat(TruthTable.exerciseOneAnswer().services()).containsExactly("apac-analytics");
        assertThat(TruthTable.exerciseOneAnswer().rows()).extracting(TruthTable::published)
                .containsExactlyElementsOf(TruthTable.fromReadme().rows().stream().map(TruthTable::published).toList());
    }

    @Test
    void apacAnalyticsGetsExactlyTheRowsOfItsAnswerColumnEachOnce() {
        RoutingApi api = api();
        Map<String, TruthTable.Row> rowById = new LinkedHashMap<>();
        for (TruthTable.Row row : TruthTable.exerciseOneAnswer().rows()) {
            String id = RoutingApi.newId("X");
            rowById.put(id, row);
            api.publish(row.key(), id, row.amount());
        }

        Barrier.awaitEverySubscriptionPassed(api); // afterwards, a row apac-analytics has not got, it never will

        rowById.forEach((id, row) -> {
            List<String> got = api.receiptsOf(id).stream()
                    .filter(r -> r.getString("key").equals(row.key()) && r.getString("service").equals("apac-analytics"))
                    .map(r -> r.getString("line")).toList();
            assertThat(got).as("apac-analytics' receipts of %s", row)
                    .hasSize(row.receivers().contains("apac-analytics") ? 1 : 0)
                    .allMatch(line -> line.equals(" [apac-analytics] Received '" + row.key() + "' " + id));
        });
        // The publisher did not change: each event was sent once, under its own three-word key.
        List<String> sent = api.deliveries().stream().filter(d -> d.getString("service").equals("x"))
                .map(d -> d.getString("line")).toList();
        rowById.forEach((id, row) -> assertThat(sent).containsOnlyOnce(" [x] Sent '" + row.key() + "' " + id));
    }
}
