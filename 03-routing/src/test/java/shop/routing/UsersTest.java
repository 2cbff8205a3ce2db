package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;

import course.testkit.UnknownNameHash;

import org.junit.jupiter.api.Test;

/** What a name nobody has is checked against: a hash of a real user's form, which no password matches. */
class UsersTest {

    /** The demo profile's operator, from microprofile-config.properties. */
    private static final String OPERATORS = "PBKDF2WithHmacSHA256:210000:leYg0EblSP65d/SwFmH/L1CH7Ap6fw7r2GBrATCsmKk=:"
            + "vvlQyH04VfiKpvJiAyGc8FKsuXI54ZRPnaTOMchTZ5A=";

    @Test
    void anUnknownNameIsCheckedAgainstARandomHashOfARealOnesForm() {
        String[] real = OPERATORS.split(":");
        UnknownNameHash.assertRandomHashOfTheForm(() -> Users.randomHashLike(OPERATORS), real[0], real[1]);
        assertThat(Users.randomHashLike(OPERATORS).split(":")[2]).as("not the real salt").isNotEqualTo(real[2]);
    }
}
