package course.slides;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A slide whose code include names a tag that is not in the source must break the build, not ship a slide with no
 * code. This runs the deck's own asciidoctor execution ({@code asciidoctor:process-asciidoc@deck} in slides/pom.xml)
 * with the same Maven, on a fixture deck (src/test/fixtures/missing-tag) that includes 01's Room.java with a bogus tag.
 */
class MissingTagIT {

    @Test
    void aCodeIncludeWithATagThatDoesNotExistFailsTheDeckBuild() throws IOException, InterruptedException {
        Path fixture = Path.of("src/test/fixtures/missing-tag").toAbsolutePath();
        Path output = Path.of("target/missing-tag-check").toAbsolutePath();
        Path log = Path.of("target/missing-tag-check.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Path mvn = Path.of(System.getProperty("maven.home"), "bin", "mvn");
        List<String> command = List.of(mvn.toString(), "--batch-mode", "--offline",
                "--file", Path.of("pom.xml").toAbsolutePath().toString(),
                "-Dmaven.repo.local=" + System.getProperty("maven.repo.local"),
                "-Ddeck.source=" + fixture,
                "-Ddeck.output=" + output,
                "org.asciidoctor:asciidoctor-maven-plugin:" + System.getProperty("asciidoctor-plugin.version") + ":process-asciidoc@deck");

        Process build = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = build.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            build.destroyForcibly();
        }
        String out = Files.readString(log);

        assertThat(finished).as("the fixture build finished within 5 minutes; its log: " + log).isTrue();
        assertThat(out).as("the fixture build's log (%s)", log)
                .contains("tag 'no-such-tag' not found in include file")
                .contains("Found 1 issue(s) of severity WARN or higher during conversion")
                .contains("BUILD FAILURE");
        assertThat(build.exitValue()).as("the fixture build's exit code").isNotZero();
    }
}
