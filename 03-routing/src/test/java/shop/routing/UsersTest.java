package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** What a name nobody has is checked against: a hash of a real user's form, which no password matches. */
class UsersTest {

    /** The demo profile's operator, from microprofile-config.properties. */
    private static final String OPERATORS = "PBKDF2WithHmacSHA256:210000:leYg0EblSP65d/SwFmH/L1CH7Ap6fw7r2GBrATCsmKk=:"
            + "vvlQyH04VfiKpvJiAyGc8FKsuXI54ZRPnaTOMchTZ5A=";

    @Test
    void anUnknownNameIsCheckedAgainstARandomHashOfARealOnesForm() {
        String[] real = OPERATORS.split(":");
        String[] unknown = Users.randomHashLike(OPERATORS).split(":");

        assertThat(unknown).hasSize(4); // algorithm:iterations:base64(salt):base64(hash), as Pbkdf2PasswordHash encodes
        assertThat(unknown[0]).isEqualTo(real[0]);
        assertThat(unknown[1]).isEqualTo(real[1]);
        assertThat(Base64.getDecoder().decode(unknown[2])).hasSameSizeAs(Base64.getDecoder().decode(real[2])).hasSize(32);
        assertThat(Base64.getDecoder().decode(unknown[3])).hasSameSizeAs(Base64.getDecoder().decode(real[3])).hasSize(32);
        assertThat(unknown[2]).isNotEqualTo(real[2]);
        assertThat(Users.randomHashLike(OPERATORS)).as("another store's").isNotEqualTo(String.join(":", unknown));
    }
}
