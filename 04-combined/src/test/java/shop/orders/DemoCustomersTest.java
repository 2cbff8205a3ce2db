package shop.orders;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import course.testkit.UnknownNameHash;

/** The demo's customers: the README's table is what the shop seeds, and outside the demo there are none. */
class DemoCustomersTest {

    /** The README's first demo customer, as the TLS test and .ci/RunIt sign in. */
    static final String ADA_SIGN_IN = "{\"name\":\"ada\",\"password\":\"ada-demo-password\"}";

    @Test
    void theReadmesDemoCustomersAreTheOnesTheShopSeeds() throws IOException {
        Map<String, String> seeded = new LinkedHashMap<>();
        DemoCustomers.demoPasswords(true, defaults().getProperty("shop.demo-customers"))
                .forEach((name, password) -> seeded.put(name, new String(password)));

        assertThat(readmeTable()).isEqualTo(seeded).containsEntry("ada", "ada-demo-password");
        assertThat(ADA_SIGN_IN).isEqualTo(Json.object().add("name", "ada").add("password", seeded.get("ada")).build().toString());
    }

    @Test
    void outsideTheDemoNobodySignsInWithADemoPassword() throws IOException {
        assertThat(DemoCustomers.demoPasswords(false, defaults().getProperty("shop.demo-customers"))).isEmpty();
    }

    @Test
    void theHashParametersAreOwaspsForPbkdf2WithSha256() {
        assertThat(DemoCustomers.HASH_PARAMETERS).containsEntry("Pbkdf2PasswordHash.Algorithm", "PBKDF2WithHmacSHA256")
                .containsEntry("Pbkdf2PasswordHash.Iterations", "600000");
    }

    @Test
    void anUnknownNameIsCheckedAgainstARandomHashWithTheParametersOfARealOne() {
        UnknownNameHash.assertRandomHashOfTheForm(() -> DemoCustomers.unknownNameHash(DemoCustomers.HASH_PARAMETERS),
                "PBKDF2WithHmacSHA256", "600000");
    }

    /** The rows "| `ada` | `ada-demo-password` |" of the README's demo customers table. */
    static Map<String, String> readmeTable() throws IOException {
        Map<String, String> table = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([A-Za-z0-9_-]+)` \\| `([^`]+)` \\| demo customer").matcher(
                Files.readString(Path.of("README.md")));
        while (row.find()) {
            table.put(row.group(1), row.group(2));
        }
        return table;
    }

    private Properties defaults() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/microprofile-config.properties")) {
            defaults.load(in);
        }
        return defaults;
    }
}
