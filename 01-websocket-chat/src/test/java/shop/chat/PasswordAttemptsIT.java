package shop.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static shop.chat.SignInAndHandshakeIT.assertProblem;

import course.testkit.SharedServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guessing passwords: wrong ones are limited per name and per client address. A class with a server of its own,
 * because the lesson locks a demo member out for five minutes, and the classes sharing the other server sign in as
 * that member.
 */
class PasswordAttemptsIT extends DeployedChat {

    @RegisterExtension
    static final SharedServer CHAT = SharedServer.forOneClass("chat-password-attempts", "chat", DeployedChat::settings);

    @Override
    SharedServer server() {
        return CHAT;
    }

    @Test
    void wrongPasswordsAreLimitedPerNameAndPerAddressWith429AndRetryAfter() {
        ChatApi chat = new ChatApi(base);
        // five wrong passwords for alan, each from another address: the sixth attempt, even with the right
        // password, is refused before it is checked
        for (int i = 1; i <= 5; i++) {
            assertThat(chat.post("/api/session", ChatApi.signInBody("alan", "guess-" + i), "198.51.100." + (100 + i))
                    .statusCode()).isEqualTo(401);
        }
        HttpResponse<String> perName = chat.post("/api/session",
                ChatApi.signInBody("alan", ChatApi.demoPassword("alan")), "198.51.100.110");
        assertProblem(perName, 429, "/problems/too-many-password-attempts");
        assertThat(perName.headers().firstValue("Retry-After").map(Long::parseLong))
                .hasValueSatisfying(seconds -> assertThat(seconds).isBetween(1L, 300L));

        // ten wrong passwords from one address, for ten names: the eleventh attempt from there is refused, for any name
        for (int i = 1; i <= 10; i++) {
            assertThat(chat.post("/api/session", ChatApi.signInBody("guessed-" + i, "guess"), "198.51.100.120")
                    .statusCode()).isEqualTo(401);
        }
        HttpResponse<String> perAddress = chat.post("/api/session",
                ChatApi.signInBody("barbara", ChatApi.demoPassword("barbara")), "198.51.100.120");
        assertProblem(perAddress, 429, "/problems/too-many-password-attempts");
        assertThat(perAddress.headers().firstValue("Retry-After")).isPresent();

        // other members, from other addresses, sign in as usual
        assertThat(chat.post("/api/session", ChatApi.signInBody("barbara", ChatApi.demoPassword("barbara")),
                "198.51.100.121").statusCode()).isEqualTo(201);
    }
}
