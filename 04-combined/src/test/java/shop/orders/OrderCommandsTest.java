package shop.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** The web tier's command publisher without a Payara boot: a command the broker never got fails, and leaves nothing waiting. */
class OrderCommandsTest {

    @Test
    void aCommandThatCannotReachTheBrokerIsBrokerUnavailableAndLeavesNoConfirmWaiting() {
        OrderCommands commands = new OrderCommands();
        commands.rabbit = new Rabbit();
        commands.rabbit.host = "localhost";
        commands.rabbit.port = 1; // never reached: the topology cannot be declared first
        commands.rabbit.virtualHost = "/";
        commands.rabbit.options = new RabbitOptions(); // TLS off
        commands.setup = new BrokerSetup() {
            @Override
            public synchronized void ensure() throws Exception {
                throw new ConnectException("Connection refused");
            }
        };
        commands.settings = new ShopSettings();
        commands.settings.confirmTimeoutMs = 5000;
        commands.init();
        Command charge = new Command("charge", "A-1", "alice", "mug", "tok_visa", "c-1", "");

        assertThatThrownBy(() -> commands.send(charge))
                .isInstanceOf(ConfirmedPublisher.BrokerUnavailable.class).hasMessageContaining("cannot be reached");
        assertThatThrownBy(() -> commands.send(charge)) // within the reconnect pause: at once
                .isInstanceOf(ConfirmedPublisher.BrokerUnavailable.class).hasMessageContaining("retrying shortly");
        assertThat(commands.unconfirmed()).isZero();
    }
}
