package shop.orders;

import com.rabbitmq.http.client.domain.ConnectionInfo;
import course.testkit.AccessRefused;
import course.testkit.LabScript;
import course.testkit.RabbitVhost;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The workflow, end to end on one instance: an order placed over the WebSocket runs through
 * payment, inventory and shipping in RabbitMQ, and every step comes back live to its customer.
 */
class WorkflowIT extends DeployedShop {

    private static final Duration WORKFLOW = Duration.ofSeconds(20);
    private Customer alice;

    @AfterEach
    void disconnect() {
        if (alice != null) {
            alice.close();
        }
    }

    @Test
    void anInStockOrderIsPaidReservedAndShippedAndEveryStepIsPushedLive() {
        alice = Customer.signIn(base, unique("alice")).connect(base);
        String order = alice.place("mug", "tok_visa");

        assertThat(alice.awaitLast(order, WORKFLOW)).containsExactly("placed", "paid", "reserved", "shipped");
    }

    @Test
    void oneCorrelationIdRunsFromTheClickThroughEveryMessageToEveryPush() {
        alice = Customer.signIn(base, unique("alice")).connect(base);
        String order = alice.place("lamp", "tok_visa");
        alice.awaitLast(order, WORKFLOW);

        String clicked = alice.channel().json().stream()
                .filter(f -> f.getString("type").equals("accepted") && f.getString("orderId").equals(order))
                .findFirst().orElseThrow().getString("correlationId");
        assertThat(alice.progress(order)).extracting(f -> f.getString("correlationId")).containsOnly(clicked);
    }

    @Test
    void aBackOrderedItemAsksTheCustomerAndAcceptingTheDelayShipsIt() {
        alice = Customer.signIn(base, unique("alice")).connect(base);
        String order = alice.place("poster", "tok_visa");
        JsonObject question = alice.channel().awaitFrame(f -> f.getString("type").equals("progress")
                && f.getString("orderId").equals(order) && f.getString("stage").equals("backordered"));
        assertThat(question.getString("detail")).isEqualTo(InventoryService.QUESTION);

        alice.answer(order, "accept");

        assertThat(alice.awaitLast(order, WORKFLOW))
                .containsExactly("placed", "paid", "backordered", "delay_accepted", "shipped");
    }

    @Test
    void cancellingAtTheQuestionReleasesTheReservationAndRefundsThePayment() {
        alice = Customer.signIn(base, unique("alice")).connect(base);
        String order = alice.place("poster", "tok_visa");
        alice.channel().awaitFrame(f -> f.getString("type").equals("progress")
                && f.getString("orderId").equals(order) && f.getString("stage").equals("backordered"));

        alice.answer(order, "cancel");

        assertThat(alice.awaitLast(order, WORKFLOW)).containsExactly("placed", "paid", "backordered", "cancelled", "refunded");
        assertThat(effect("inventory", "release", order)).as("reservation released").isTrue();
        assertThat(effect("payment", "refund", order)).as("payment refunded").isTrue();
        assertThat(effect("shipping", "shipment", order)).as("nothing shipped").isFalse();
    }

    @Test
    void aDeclinedPaymentEndsTheOrderWithNothingChargedOrReserved() {
        alice = Customer.signIn(base, unique("alice")).connect(base);
        String order = alice.place("mug", PaymentService.DECLINED_TOKEN);

        assertThat(alice.awaitLast(order, WORKFLOW)).containsExactly("placed", "declined");
        assertThat(effect("payment", "charge", order)).isFalse();
        assertThat(effect("inventory", "reservation", order)).isFalse();
    }

    @Test
    void theSameCommandDeliveredTwiceChargesOnceAndNotifiesOnce() throws Exception {
        alice = Customer.signIn(base, unique("alice")).connect(base);
        String order = alice.place("mug", "tok_visa");
        alice.awaitLast(order, WORKFLOW);
        String correlationId = alice.progress(order).get(0).getString("correlationId");

        try (ShopBroker broker = ShopBroker.connect(); ShopBroker.StreamReader stream = broker.readStream()) {
            // Failure lab 3, the script the README quotes, run as the learner runs it, in this test's vhost:
            // a producer that retried after a lost confirm, publishing the same charge command a second time.
            LabScript.Result published = LabScript.of("labs/deliver-twice.sh").fromCourseFolder()
                    .run(Map.of(), Duration.ofSeconds(30), order, correlationId, alice.name, "mug", RabbitVhost.name())
                    .assertSucceeded();
            assertThat(published.output())
                    .contains("Publishing to exchange orders, routing key charge: "
                            + new Command("charge", order, alice.name, "mug", "tok_visa", correlationId, null).toJson())
                    .contains("{\"routed\":true}");

            // Every step ran again: the stream has every step twice, so the duplicate really was delivered...
            await().atMost(WORKFLOW).untilAsserted(() -> assertThat(stream.stages(order))
                    .containsExactly("placed", "paid", "reserved", "shipped", "placed", "paid", "reserved", "shipped"));
        }
        // ...yet the customer was told each step once, and charged once.
        String later = alice.place("mug", "tok_visa");
        alice.awaitLast(later, WORKFLOW); // everything in the stream before it has reached the channel
        assertThat(alice.stages(order)).containsExactly("placed", "paid", "reserved", "shipped");
        assertThat(DeployedShop.read("payment", "charge", order)).isEqualTo("12.00");
        assertThat(DeployedShop.lines("payment", "charged.log", order)).as("charges recorded for the order").isEqualTo(1);
    }

    @Test
    void theSamePlaceFrameSentTwiceIsOneOrderChargedOnceAndEachStepIsShownOnce() throws Exception {
        alice = Customer.signIn(base, unique("alice")).connect(base);
        String orderId = java.util.UUID.randomUUID().toString();
        String frame = Customer.placeFrame(orderId, "mug", "tok_visa", java.util.UUID.randomUUID().toString());

        try (ShopBroker broker = ShopBroker.connect(); ShopBroker.StreamReader stream = broker.readStream()) {
            alice.channel().send(frame); // a double click, or a page that is not sure the first one arrived
            alice.channel().send(frame);

            assertThat(alice.channel().awaitFrames(f -> f.getString("type").equals("accepted"), 2))
                    .extracting(f -> f.getString("orderId")).containsExactly(orderId, orderId);
            assertThat(alice.awaitLast(orderId, WORKFLOW)).containsExactly("placed", "paid", "reserved", "shipped");
            // The second frame published nothing: the workflow ran once.
            await().atMost(WORKFLOW).untilAsserted(() -> assertThat(stream.stages(orderId))
                    .containsExactly("placed", "paid", "reserved", "shipped"));
        }
        assertThat(lines("payment", "charged.log", orderId)).as("charges on the provider's statement").isEqualTo(1);
    }

    @Test
    void aPlaceFrameResentAfterADroppedConnectionIsTheSameOrderChargedOnce() throws Exception {
        alice = Customer.signIn(base, unique("alice")).connect(base);
        String orderId = java.util.UUID.randomUUID().toString();
        String correlationId = java.util.UUID.randomUUID().toString();
        alice.channel().send(Customer.placeFrame(orderId, "lamp", "tok_visa", correlationId));
        alice.close(); // the connection drops before the page heard "accepted": did the order arrive?

        alice.connect(base); // the page reconnects, and sends the same frame again
        alice.channel().send(Customer.placeFrame(orderId, "lamp", "tok_visa", correlationId));

        assertThat(alice.channel().awaitFrame(f -> f.getString("type").equals("accepted")).getString("orderId"))
                .isEqualTo(orderId);
        assertThat(alice.awaitLast(orderId, WORKFLOW)).containsExactly("placed", "paid", "reserved", "shipped");
        assertThat(lines("payment", "charged.log", orderId)).as("charges on the provider's statement").isEqualTo(1);
        assertThat(effect("shipping", "shipment", orderId)).isTrue();
    }

    @Test
    void anOrderIdReusedForAnotherOrderIsRefusedLikeA422AndChangesNothing() throws Exception {
        alice = Customer.signIn(base, unique("alice")).connect(base);
        String orderId = alice.place("mug", "tok_visa", java.util.UUID.randomUUID().toString());
        alice.awaitLast(orderId, WORKFLOW);

        String other = java.util.UUID.randomUUID().toString();
        alice.channel().send(Customer.placeFrame(orderId, "lamp", "tok_visa", other));
        JsonObject refused = alice.awaitError("order-id-conflict");
        assertThat(refused.getString("correlationId")).isEqualTo(other);
        assertThat(refused.getString("detail")).contains(orderId).contains("a new order needs a new id");
        assertThat(alice.channel().json()).filteredOn(f -> f.getString("type").equals("accepted"))
                .extracting(f -> f.getString("orderId")).as("orders accepted").containsExactly(orderId);
        try (Customer mallory = Customer.signIn(base, unique("mallory")).connect(base)) {
            mallory.channel().send(Customer.placeFrame(orderId, "mug", "tok_visa", other));
            mallory.awaitError("order-id-conflict");
            assertThat(mallory.channel().json()).as("orders accepted").noneMatch(f -> f.getString("type").equals("accepted"));
            assertThat(mallory.allProgress()).isEmpty();
        }

        assertThat(alice.stages(orderId)).containsExactly("placed", "paid", "reserved", "shipped");
        assertThat(read("payment", "order", orderId)).isEqualTo(alice.name + " mug tok_visa");
        assertThat(lines("payment", "charged.log", orderId)).as("charges on the provider's statement").isEqualTo(1);
    }

    @Test
    void aChargeUnderAPlacedOrderIdWithAnotherBodyOrACommandForAnotherQueueIsDeadLetteredAndNeverCharged()
            throws Exception {
        alice = Customer.signIn(base, unique("alice")).connect(base);
        String orderId = alice.place("mug", "tok_visa");
        alice.awaitLast(orderId, WORKFLOW);
        String correlationId = alice.progress(orderId).get(0).getString("correlationId");

        try (ShopBroker broker = ShopBroker.connect()) {
            // What no web instance lets through, as a foreign producer (or two racing instances) could publish it.
            broker.publish(new Command("charge", orderId, alice.name, "lamp", "tok_visa", correlationId, null));
            broker.publishRaw(OrderTopology.COMMANDS, "charge", null, bytes(
                    new Command("reserve", orderId, alice.name, "mug", "tok_visa", correlationId, null).toJson()));

            await().atMost(WORKFLOW).untilAsserted(() -> assertThat(broker.deadLetters())
                    .filteredOn(d -> d.text().contains(orderId))
                    .extracting(d -> d.header(StepService.Outcome.DEAD_LETTER_REASON))
                    .containsExactlyInAnyOrder(
                            "'charge' order=" + orderId + " correlation=" + correlationId + ": the order id " + orderId
                                    + " was placed before with another body",
                            "the command 'reserve' does not belong in orders.payment"));
        }
        assertThat(lines("payment", "charged.log", orderId)).isEqualTo(1);
        assertThat(read("payment", "charge", orderId)).isEqualTo("12.00");
        assertThat(alice.stages(orderId)).containsExactly("placed", "paid", "reserved", "shipped");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void theServicesEndpointListsEveryConsumerOfTheProcessAsConsuming() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                Customer.at(base, "api/services")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject report = Json.parse(response.body());
        assertThat(report.getBoolean("healthy")).isTrue();
        assertThat(report.getJsonArray("services").getValuesAs(JsonObject.class))
                .extracting(s -> s.getString("service") + " on " + s.getString("queue") + ": " + s.getBoolean("consuming"))
                .containsExactlyInAnyOrder("progress-feed on orders.progress: true", "payment on orders.payment: true",
                        "inventory on orders.inventory: true", "shipping on orders.shipping: true");
    }

    @Test
    void aCustomerSeesOnlyTheirOwnOrders() {
        alice = Customer.signIn(base, unique("alice")).connect(base);
        try (Customer bob = Customer.signIn(base, unique("bob")).connect(base)) {
            String alices = alice.place("mug", "tok_visa");
            String bobs = bob.place("lamp", "tok_visa");
            alice.awaitLast(alices, WORKFLOW);
            bob.awaitLast(bobs, WORKFLOW);

            assertThat(alice.allProgress()).extracting(f -> f.getString("orderId")).containsOnly(alices);
            assertThat(bob.allProgress()).extracting(f -> f.getString("orderId")).containsOnly(bobs);
            assertThat(bob.get(base, "api/orders/" + alices).statusCode()).isEqualTo(404);
            assertThat(alice.get(base, "api/orders/" + alices).statusCode()).isEqualTo(200);
            assertThat(bob.get(base, "api/orders").body()).doesNotContain(alices).contains(bobs);
        }
    }

    @Test
    void aCustomerCannotAnswerAnotherCustomersQuestion() {
        alice = Customer.signIn(base, unique("alice")).connect(base);
        try (Customer mallory = Customer.signIn(base, unique("mallory")).connect(base)) {
            String order = alice.place("poster", "tok_visa");
            alice.channel().awaitFrame(f -> f.getString("type").equals("progress")
                    && f.getString("orderId").equals(order) && f.getString("stage").equals("backordered"));

            mallory.answer(order, "cancel");

            // Exactly what an order that does not exist gets: nothing about alice's order leaks.
            assertThat(mallory.awaitError("no-such-question").getString("detail")).contains(order);
            alice.answer(order, "accept");
            assertThat(alice.awaitLast(order, WORKFLOW)).endsWith("delay_accepted", "shipped");
            assertThat(mallory.allProgress()).isEmpty();
        }
    }

    // tag::least-privilege[]
    @Test
    void paymentCanNeitherConsumeShippingsQueueNorReportAShippedStageNorSendAShipCommand() throws Exception {
        String user = RoleUsers.name(Role.PAYMENT);
        byte[] forged = bytes("{\"orderId\":\"forged\",\"stage\":\"shipped\"}");
        try (com.rabbitmq.client.Connection asPayment = RoleUsers.connect(Role.PAYMENT)) {
            assertThat(AccessRefused.refusal(asPayment, channel -> channel.basicConsume(Step.SHIPPING.queue(), false,
                    (tag, d) -> { }, tag -> { })))
                    .isEqualTo("ACCESS_REFUSED - access to queue 'orders.shipping' in vhost '" + RabbitVhost.name()
                            + "' refused for user '" + user + "'");
            for (String exchange : java.util.List.of(OrderTopology.PROGRESS, OrderTopology.BOARD)) {
                assertThat(AccessRefused.refusal(asPayment, channel -> publish(channel, exchange, "order.shipped", forged)))
                        .isEqualTo("ACCESS_REFUSED - access to topic 'order.shipped' in exchange '" + exchange
                                + "' in vhost '" + RabbitVhost.name() + "' refused for user '" + user + "'");
            }
            assertThat(AccessRefused.refusal(asPayment, channel -> publish(channel, OrderTopology.COMMANDS, "ship", forged)))
                    .startsWith("ACCESS_REFUSED - access to topic 'ship' in exchange 'orders'");
            assertThat(AccessRefused.refusal(asPayment, channel -> channel.queueDelete(Step.PAYMENT.queue())))
                    .startsWith("ACCESS_REFUSED - access to queue 'orders.payment'");
        }
    }

    @Test
    void theWebRoleCannotConsumeAStepQueueNorSendAStepsOwnCommand() throws Exception {
        try (com.rabbitmq.client.Connection asWeb = RoleUsers.connect(Role.WEB)) {
            for (Step step : Step.values()) {
                assertThat(AccessRefused.refusal(asWeb, channel -> channel.basicGet(step.queue(), false)))
                        .startsWith("ACCESS_REFUSED - access to queue '" + step.queue() + "'");
            }
            assertThat(AccessRefused.refusal(asWeb, channel -> publish(channel, OrderTopology.COMMANDS, "ship", bytes("{}"))))
                    .startsWith("ACCESS_REFUSED - access to topic 'ship' in exchange 'orders'");
            assertThat(AccessRefused.refusal(asWeb, channel -> publish(channel, OrderTopology.PROGRESS, "order.paid", bytes("{}"))))
                    .startsWith("ACCESS_REFUSED - access to exchange 'orders.progress'");
        }
    }
    // end::least-privilege[]

    @Test
    void everyStepServiceAndTheWebTierConnectAsTheirOwnUserAndNoneAsTheAdministrator() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                RabbitVhost.connections().stream().map(ConnectionInfo::getUser).distinct().toList())
                .containsExactlyInAnyOrder(RoleUsers.name(Role.PAYMENT), RoleUsers.name(Role.INVENTORY),
                        RoleUsers.name(Role.SHIPPING), RoleUsers.name(Role.WEB)));
    }

    private static void publish(com.rabbitmq.client.Channel channel, String exchange, String routingKey, byte[] body)
            throws Exception {
        channel.confirmSelect();
        channel.basicPublish(exchange, routingKey, null, body);
        channel.waitForConfirmsOrDie(5_000);
    }

    /** A customer of this test alone (a customer's page replays all their orders, including earlier tests'), added to the shop's customers. */
    static String unique(String name) {
        return TestCustomers.add(name + "-" + java.util.UUID.randomUUID().toString().substring(0, 8));
    }
}
