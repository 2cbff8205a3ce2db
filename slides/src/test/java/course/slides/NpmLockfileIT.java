package course.slides;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * reveal.js is pinned by package-lock.json, which names versions and integrity hashes but no download address:
 * npm fetches from whatever registry the machine is configured for (.npmrc sets omit-lockfile-registry-resolved).
 */
class NpmLockfileIT {

    @Test
    void theLockfilePinsRevealJsByIntegrityAndNamesNoDownloadAddress() throws IOException {
        String lockfile = Files.readString(Path.of("package-lock.json"));

        assertThat(lockfile).contains("\"node_modules/reveal.js\"").contains("\"integrity\": \"sha512-");
        assertThat(lockfile).doesNotContain("\"resolved\"").doesNotContain("://");
        assertThat(Files.readString(Path.of(".npmrc"))).contains("omit-lockfile-registry-resolved=true");
    }
}
