package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which pages may open the chat: the Origin rule on its own, with every corner a browser can produce. */
class OriginPolicyTest {

    @ParameterizedTest(name = "Origin {0}, Host {1}: {2}")
    @CsvSource(nullValues = "none", value = {
        "http://localhost:8081,       localhost:8081,   true",
        "http://LOCALHOST:8081,       localhost:8081,   true",
        "https://shop.example,        shop.example,     true",
        "http://shop.example,         shop.example:80,  true",
        "http://[::1]:8081,           [::1]:8081,       true",
        "http://[::1],                [::1],            true",
        "http://localhost:9000,       localhost:8081,   false",
        "http://127.0.0.1:8081,       localhost:8081,   false",
        "https://localhost:8081,      localhost:8081,   true",
        "http://evil.example,         localhost:8081,   false",
        "https://partner.example,     localhost:8081,   true",
        "null,                        localhost:8081,   false",
        "file://,                     localhost:8081,   false",
        "none,                        localhost:8081,   false",
        "http://localhost:8081,       none,             false",
        "'not a uri at all',          localhost:8081,   false",
    })
    void anOriginIsAllowedWhenItIsThePagesOwnOrOnTheList(String origin, String host, boolean allowed) {
        OriginPolicy policy = new OriginPolicy();
        policy.settings = new ChatSettings();
        policy.settings.allowedOrigins = Optional.of("https://partner.example, https://other.example");

        assertThat(policy.allows(origin, host)).isEqualTo(allowed);
    }
}
