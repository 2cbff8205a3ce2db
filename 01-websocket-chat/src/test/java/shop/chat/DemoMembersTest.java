package shop.chat;

import course.testkit.UnknownNameHash;
import org.junit.jupiter.api.Test;

/** What a name that is no member's is checked against: a hash of the members' form, which no password matches. */
class DemoMembersTest {

    @Test
    void anUnknownNameIsCheckedAgainstARandomHashWithTheParametersOfARealOne() {
        UnknownNameHash.assertRandomHashOfTheForm(() -> DemoMembers.unknownNameHash(DemoMembers.HASH_PARAMETERS),
                "PBKDF2WithHmacSHA512", "210000");
    }
}
