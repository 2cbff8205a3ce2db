package shop.orders;

import course.testkit.RabbitVhost;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The Web-STOMP precheck: silent on a broker that has the plugin, one sentence on one that does not. */
@ExtendWith(RabbitVhost.class)
class WebStompCheckTest {

    @Test
    void aBrokerWithTheWebStompListenerPassesTheCheck() {
        assertThat(WebStompCheck.missing(RabbitVhost.get("/api/overview").asJsonObject())).isEmpty();
    }

    @Test
    void aBrokerWithoutItFailsWithOneSentenceSayingWhatToRun() {
        String overview = "{\"listeners\":[{\"protocol\":\"amqp\",\"port\":5672},{\"protocol\":\"http\",\"port\":15672}]}";
        assertThat(WebStompCheck.missing(jakarta.json.Json.createReader(new StringReader(overview)).readObject()))
                .hasValue("The RabbitMQ plugin rabbitmq_web_stomp is not enabled: "
                        + "run `rabbitmq-plugins enable rabbitmq_web_stomp` and start the tests again.");
    }
}
