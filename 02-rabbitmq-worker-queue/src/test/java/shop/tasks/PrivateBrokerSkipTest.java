package shop.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import course.testkit.PrivateBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * Where the broker-restart lab can run: a machine with a local RabbitMQ installation starts its private node as
 * the current user; on one without (RabbitMQ only in Docker, say), the lab is skipped with one sentence saying
 * what it needs, and the rest of the suite runs.
 */
class PrivateBrokerSkipTest {

    @Test
    void withoutALocalRabbitMqInstallationTheLabIsSkippedWithOneSentenceSayingWhatItNeeds(@TempDir Path empty) {
        assertThat(PrivateBroker.scripts(List.of(empty.toString(), empty.resolve("missing").toString()))).isEmpty();

        assertThatThrownBy(() -> PrivateBroker.requireScripts(PrivateBroker.scripts(List.of(empty.toString()))))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("needs a local RabbitMQ installation")
                .hasMessageContaining("set RABBITMQ_SCRIPTS");
        assertThat(PrivateBroker.NEEDS).as("one sentence").doesNotContain(". ").endsWith(".");
    }

    @Test
    void aFolderWithBothScriptsIsTheInstallationTheNodeStartsFrom(@TempDir Path folder) throws IOException {
        for (String script : List.of("rabbitmq-server", "rabbitmqctl")) {
            Files.writeString(folder.resolve(script), "#!/bin/sh\n");
            Files.setPosixFilePermissions(folder.resolve(script), PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        assertThat(PrivateBroker.scripts(List.of("/nonexistent", folder.toString()))).contains(folder);
        assertThat(PrivateBroker.requireScripts(PrivateBroker.scripts(List.of(folder.toString())))).isEqualTo(folder);
    }
}
