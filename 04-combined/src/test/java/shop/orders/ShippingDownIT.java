package shop.orders;

import course.testkit.PayaraProcess;
import course.testkit.RabbitVhost;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failure lab 1, in the README's layout: the shop with payment and inventory
 * ({@code -Dshop.services=payment,inventory}) in one terminal, shipping alone
 * ({@code -Dshop.services=shipping}) in another. RabbitMQ is the only thing they share.
 */
@ExtendWith(RabbitVhost.class)
class ShippingDownIT {

    /** The shop the DeployedShop classes share would be one more consumer of this class's queues: stopped first. */
    @RegisterExtension
    static final BeforeAllCallback alone = DeployedShop.SHOP.stopFirst();

    private static final Duration WORKFLOW = Duration.ofSeconds(30);
    private static Map<String, String> common;
    private static PayaraProcess shop;
    private static PayaraProcess shipping;
    private static URL base;

    @BeforeAll
    static void startTheShopAndShippingApart() throws Exception {
        DeployedShop.deleteData();
        int port = PayaraProcess.freePort();
        base = new URL("http://localhost:" + port + "/");
        common = DeployedShop.processSettings(Map.of("shop.instances", "http://localhost:" + port));
        shop = PayaraProcess.start("shop-without-shipping", "orders", port, with("shop.services", "payment,inventory"));
        shipping = startShipping();
        DeployedShop.connected(shop.awaitReady());
        shipping.awaitReady();
    }

    @AfterAll
    static void stopAll() throws Exception {
        DeployedShop.removeShops(shop, shipping);
    }

    @Test
    void whileShippingIsDownOrdersWaitAtThatStepAndCompleteWhenItComesBack() throws Exception {
        shipping.stop(); // Ctrl+C in its terminal
        try (Customer alice = Customer.signIn(base, WorkflowIT.unique("alice")).connect(base);
             Customer bob = Customer.signIn(base, WorkflowIT.unique("bob")).connect(base);
             ShopBroker broker = ShopBroker.connect()) {
            String alices = alice.place("mug", "tok_visa");
            String bobs = bob.place("lamp", "tok_visa");

            await("both orders waiting in orders.shipping, both customers told 'reserved'").atMost(WORKFLOW)
                    .untilAsserted(() -> {
                        assertThat(broker.ready(Step.SHIPPING.queue())).isEqualTo(2);
                        assertThat(alice.stages(alices)).containsExactly("placed", "paid", "reserved");
                        assertThat(bob.stages(bobs)).containsExactly("placed", "paid", "reserved");
                    });

            shipping = startShipping().awaitReady();

            assertThat(alice.awaitLast(alices, WORKFLOW)).containsExactly("placed", "paid", "reserved", "shipped");
            assertThat(bob.awaitLast(bobs, WORKFLOW)).containsExactly("placed", "paid", "reserved", "shipped");
            assertThat(broker.ready(Step.SHIPPING.queue())).isZero();
        }
    }

    private static PayaraProcess startShipping() {
        return PayaraProcess.start("shipping", "orders", with("shop.services", "shipping"));
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> properties = new HashMap<>(common);
        properties.put(key, value);
        return properties;
    }
}
