package shop.orders;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's permission table says what {@link Role} grants, regex by regex. */
class RoleTableTest {

    @Test
    void theReadmesPermissionTableMatchesEachRolesRegexes() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("README.md")).stream()
                .filter(l -> l.startsWith("| `shop-")).map(l -> l.replace("\\|", "|")).toList();
        assertThat(rows).hasSize(Role.values().length);
        for (Role role : Role.values()) {
            String row = rows.stream().filter(r -> r.startsWith("| `shop-" + role.key() + "` |")).findFirst().orElseThrow();
            String write = role == Role.WEB || role == Role.PAYMENT ? "`" + role.write() + "`" : "the same";
            assertThat(row).as(role.key()).contains("| `" + role.configure() + "` | " + write + " | `" + role.read() + "` |");
            assertThat(row).as(role.key()).contains("`orders`: `" + role.topicWrites().get(OrderTopology.COMMANDS) + "`");
            String stages = role.topicWrites().get(OrderTopology.PROGRESS);
            if (!stages.equals("^$")) {
                assertThat(row).as(role.key()).contains("`orders.progress`, `orders.board`: `" + stages + "`");
            }
        }
        assertThat(Role.INVENTORY.write()).isEqualTo(Role.PAYMENT.write()).isEqualTo(Role.SHIPPING.write());
    }
}
