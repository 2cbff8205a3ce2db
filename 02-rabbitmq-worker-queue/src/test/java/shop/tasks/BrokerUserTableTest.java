package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README's permission table says what {@link BrokerUser} grants, regex by regex, for the README's worker w1. */
class BrokerUserTableTest {

    @Test
    void theReadmesPermissionTableMatchesEachUsersRegexes() throws Exception {
        TaskSettings w1 = new TaskSettings();
        w1.workerQueue = "tasks";
        w1.workerId = Optional.of("w1");
        List<String> rows = Files.readAllLines(Path.of("README.md")).stream()
                .filter(l -> l.startsWith("| `tasks-")).map(l -> l.replace("\\|", "|")).toList();
        assertThat(rows).hasSize(BrokerUser.values().length);
        for (BrokerUser user : BrokerUser.values()) {
            String name = user == BrokerUser.WORKER ? "tasks-worker-w1" : "tasks-" + user.key();
            assertThat(rows).as(user.key()).contains("| `" + name + "` | `" + user.configure() + "` | `" + user.write(List.of()) + "` | `"
                    + user.read(w1) + "` | `" + user.eventKeys(w1) + "` |");
        }
    }
}
