package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** What a name that is no member's is checked against: a hash of the members' form, which no password matches. */
class DemoMembersTest {

    @Test
    void anUnknownNameIsCheckedAgainstARandomHashWithTheParametersOfARealOne() {
        String[] parts = DemoMembers.unknownNameHash(DemoMembers.HASH_PARAMETERS).split(":");

        assertThat(parts).hasSize(4); // algorithm:iterations:base64(salt):base64(hash), as Pbkdf2PasswordHash encodes
        assertThat(parts[0]).isEqualTo("PBKDF2WithHmacSHA512");
        assertThat(parts[1]).isEqualTo("210000");
        assertThat(Base64.getDecoder().decode(parts[2])).hasSize(32);
        assertThat(Base64.getDecoder().decode(parts[3])).hasSize(32);
        assertThat(DemoMembers.unknownNameHash(DemoMembers.HASH_PARAMETERS)).as("another store's")
                .isNotEqualTo(String.join(":", parts));
    }
}
