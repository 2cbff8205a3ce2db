package course.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.function.Supplier;

/**
 * Checks the hash a name that nobody has is checked against (01's members, 03's users, 04's customers): random bytes
 * in the form of a real Pbkdf2PasswordHash hash, so that the check of an unknown name costs what a real one costs and
 * no password matches it.
 */
public final class UnknownNameHash {

    private UnknownNameHash() {
    }

    /**
     * Asserts that {@code make} gives {@code algorithm:iterations:base64(salt):base64(hash)}, as Pbkdf2PasswordHash
     * encodes, with a 32-byte salt and hash, and a new salt and hash each time.
     */
    public static void assertRandomHashOfTheForm(Supplier<String> make, String algorithm, String iterations) {
        String first = make.get();
        String[] parts = first.split(":");

        assertThat(parts).hasSize(4);
        assertThat(parts[0]).isEqualTo(algorithm);
        assertThat(parts[1]).isEqualTo(iterations);
        assertThat(Base64.getDecoder().decode(parts[2])).as("salt").hasSize(32);
        assertThat(Base64.getDecoder().decode(parts[3])).as("hash").hasSize(32);
        String[] second = make.get().split(":");
        assertThat(second[2]).as("another store's salt").isNotEqualTo(parts[2]);
        assertThat(second[3]).as("another store's hash").isNotEqualTo(parts[3]);
    }
}
