package shop.orders;

import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start check that keeps the demo session secret out of a server that says it is not a demo. */
class DemoSecretCheckTest {

    @Test
    void aServerThatIsNotADemoRefusesToStartWithTheDemoSecretInOneSentence() {
        assertThatThrownBy(() -> DemoSecretCheck.check(false, DemoSecretCheck.DEMO_SESSION_SECRET))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("shop.demo=false but shop.session-secret is the demo value:"
                        + " set SHOP_SESSION_SECRET to a long random value of your own.");
    }

    @Test
    void theDemoStartsWithTheDemoSecretAndARealServerWithItsOwn() {
        assertThatCode(() -> DemoSecretCheck.check(true, DemoSecretCheck.DEMO_SESSION_SECRET)).doesNotThrowAnyException();
        assertThatCode(() -> DemoSecretCheck.check(false, "a-long-random-value-of-its-own")).doesNotThrowAnyException();
    }

    @Test
    void theDefaultsAreTheDemoSecretAndTheDemoProfile() throws Exception {
        Properties defaults = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/microprofile-config.properties")) {
            defaults.load(in);
        }
        assertThat(defaults.getProperty("shop.session-secret")).isEqualTo(DemoSecretCheck.DEMO_SESSION_SECRET);
        assertThat(defaults.getProperty("shop.demo")).isEqualTo("true");
    }
}
