package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;

import course.testkit.LabScript;
import course.testkit.PayaraProcess;
import course.testkit.RabbitVhost;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Failure lab 3: the server is stopped (Ctrl+C) while the warehouse, a plain AMQP service, answers a
 * pick; the answer waits in the warehouse's durable queue, and shipping handles it when the server is
 * back. The server is the module's WAR in a Payara Micro process of its own, as the README's run command
 * starts it, in this run's vhost; the lab's script runs from the course folder exactly as printed.
 */
@ExtendWith(RabbitVhost.class)
class ServerRestartIT {

    private PayaraProcess server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aWarehouseAnswerPublishedWhileTheServerIsDownIsShippedWhenItStartsAgain() {
        server = startServer("lab3-server-first");
        server.stop(); // SIGTERM, as Ctrl+C: the server undeploys and closes its connections
        server.close();

        LabScript.Result lab = LabScript.of("labs/publish-warehouse-answer.sh").fromCourseFolder()
                .run(Map.of("RABBITMQ_VIRTUAL_HOST", RabbitVhost.name()), Duration.ofSeconds(30), "A-3001")
                .assertSucceeded();
        assertThat(lab.output())
                .containsPattern("\"durable\":true,(\"messages\":\\d+,)?\"name\":\"shop\\.orders\\.billing\"")
                .contains("\"name\":\"shop.warehouse.shipped\"")
                .doesNotContain("jms-cons-") // the market subscribers' queues died with the server
                .endsWith("{\"routed\":true}\n");

        server = startServer("lab3-server-again");
        for (String line : new String[] {
                " [shipping] Warehouse shipped A-3001",
                " [x] Sent 'order.eu.shipped' A-3001",
                " [eu-analytics] Received 'order.eu.shipped' A-3001",
                " [audit] Received 'order.eu.shipped' A-3001"}) {
            server.awaitLog(Pattern.compile(Pattern.quote(line)));
        }
        assertThat(server.count(Pattern.compile("Received 'order\\.eu\\.shipped' A-3001"))).isEqualTo(2);
    }

    private static PayaraProcess startServer(String name) {
        return PayaraProcess.start(name, "routing", Map.of("rabbitmq.virtual-host", RabbitVhost.name())).awaitReady();
    }
}
