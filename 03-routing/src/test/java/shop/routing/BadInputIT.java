package shop.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import course.testkit.LabScript;
import com.rabbitmq.http.client.domain.TopicPermissions;
import course.testkit.RabbitVhost;
import course.testkit.RawRequest;
import course.testkit.ServerRefusals;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Nothing is lost silently and nothing bad gets in: an unroutable message is caught by the alternate
 * exchange, and a bad key, pattern or selector is refused with a problem+json that says why, before
 * anything is published or subscribed.
 */
class BadInputIT extends DeployedRouting {

    @Test
    void anIdempotencyKeyReusedWithAnotherBodyIsRefusedWith422AndNothingIsPublished() {
        RoutingApi api = api();
        String id = RoutingApi.newId("U");
        String key = "\"" + id + "-key\"";
        assertThat(api.publishWithKey(key, "order.eu.created", id, "10.00").statusCode()).isEqualTo(202);

        HttpResponse<String> reused = api.publishWithKey(key, "order.eu.created", id, "11.00");

        assertThat(reused.statusCode()).as(reused.body()).isEqualTo(422);
        assertThat(reused.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        assertThat(RoutingApi.object(reused.body()).getString("type")).isEqualTo("/problems/idempotency-key-reused");
        Barrier.awaitEverySubscriptionPassed(api);
        assertThat(api.receiptsOf(id)).filteredOn(r -> r.getString("service").equals("audit")).hasSize(1);
    }

    @ParameterizedTest(name = "Idempotency-Key: {0}")
    @CsvSource(delimiter = '|', value = {"no-quotes", "\"\"", "\"open", "\"a\";x=1", "\"a\", \"b\""})
    void aMalformedIdempotencyKeyIsRefusedWith400AndNothingIsPublished(String field) {
        RoutingApi api = api();
        String id = RoutingApi.newId("M");

        HttpResponse<String> refused = api.publishWithKey(field, "order.eu.created", id, "10.00");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(RoutingApi.object(refused.body()).getString("type")).isEqualTo("/problems/invalid-idempotency-key");
        Barrier.awaitEverySubscriptionPassed(api);
        assertThat(api.deliveries()).noneMatch(d -> d.getString("id").equals(id));
    }

    // tag::unroutable-test[]
    @Test
    void aMessageThatMatchesNoBindingIsCaughtByTheAlternateExchangeNotDropped() throws Exception {
        RoutingApi api = api();
        try (Connection connection = RabbitVhost.amqpFactory().newConnection("legacy-producer");
             Channel channel = connection.createChannel()) {
            // A producer the shop does not control publishes an event family nobody subscribed to.
            channel.basicPublish(Topology.ORDERS, "refund.eu.issued",
                    new AMQP.BasicProperties.Builder().headers(Map.of("orderId", "R-1")).build(), "{}".getBytes());
        }

        JsonObject caught = await().atMost(Duration.ofSeconds(10)).until(() -> api.receiptsOf("R-1").stream()
                .filter(d -> d.getString("service").equals("unrouted")).findFirst(), Optional::isPresent).orElseThrow();
        assertThat(caught.getString("line")).isEqualTo(" [unrouted] Caught 'refund.eu.issued' R-1");
        Barrier.awaitEverySubscriptionPassed(api);
        assertThat(api.receiptsOf("R-1")).extracting(d -> d.getString("service")).containsExactly("unrouted");
    }
    // end::unroutable-test[]

    /** Failure lab 1, as the README prints it: the management UI's message has no properties, so no id. */
    @Test
    void failureLab1AMessageFromTheManagementUiThatNobodySubscribedToShowsUnderUnroutedWithAQuestionMark() {
        RoutingApi api = api();
        LabScript.Result lab = LabScript.of("labs/publish-unrouted.sh").fromCourseFolder()
                .run(Map.of("RABBITMQ_VIRTUAL_HOST", RabbitVhost.name()), Duration.ofSeconds(30))
                .assertSucceeded();
        assertThat(lab.output()).isEqualTo("{\"routed\":true}\n");

        JsonObject caught = await().atMost(Duration.ofSeconds(10)).until(() -> api.receiptsOf("?").stream()
                .filter(d -> d.getString("key").equals("refund.eu.issued")).findFirst(), Optional::isPresent).orElseThrow();
        assertThat(caught.getString("service")).isEqualTo("unrouted");
        assertThat(caught.getString("line")).isEqualTo(" [unrouted] Caught 'refund.eu.issued' ?");
        Barrier.awaitEverySubscriptionPassed(api);
        assertThat(api.receiptsOf("?")).extracting(d -> d.getString("service")).containsExactly("unrouted");
    }


    // tag::poison-test[]
    /**
     * What a service cannot handle is set aside, each with one line, and the service goes on: a plain AMQP client's
     * messages (no body, a text body, JSON, the JMS client's format naming a wrong type), JMS messages of the wrong
     * type, of the wrong shape or too big, and two orders whose work fails every time; then a valid order is
     * delivered, and not one consumer was lost or restarted.
     */
    @Test
    void aMessageAServiceCannotHandleIsDeadLetteredWithOneLineAndTheServiceServesTheNextOrder() throws Exception {
        RoutingApi api = api();
        Map<String, Integer> consumersBefore = consumersPerQueue(api);
        long restartsBefore = restarts(api);
        String key = "order.eu.created"; // eu-analytics and audit subscribe to it
        try (Connection connection = RabbitVhost.amqpFactory().newConnection("plain-producer");
             Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(Topology.ORDERS, key, new AMQP.BasicProperties(), new byte[0]); // no body, no properties
            channel.basicPublish(Topology.ORDERS, key, null, "hello".getBytes(StandardCharsets.UTF_8));
            channel.basicPublish(Topology.ORDERS, key, new AMQP.BasicProperties.Builder().contentType("application/json").build(),
                    "{\"orderId\":\"P-1\",\"region\":\"eu\",\"event\":\"created\",\"amount\":1}".getBytes(StandardCharsets.UTF_8));
            java.io.ByteArrayOutputStream forged = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(forged)) {
                out.writeUTF("java.lang.String"); // the JMS client's format begins with a class name: not one of its own
            }
            channel.basicPublish(Topology.ORDERS, key, null, forged.toByteArray());
            channel.waitForConfirmsOrDie(10_000);
        }
        jakarta.jms.Connection jms = RabbitVhost.jmsFactory().createConnection();
        try (jakarta.jms.Session session = jms.createSession()) {
            jakarta.jms.MessageProducer producer = session.createProducer(Topics.on(Topology.ORDERS, key));
            jakarta.jms.BytesMessage bytes = session.createBytesMessage(); // the JMS client's format, the wrong type
            bytes.writeBytes("{}".getBytes(StandardCharsets.UTF_8));
            producer.send(bytes);
            producer.send(session.createTextMessage("{\"order\":\"P-2\"}")); // a TextMessage, JSON of the wrong shape
            producer.send(session.createTextMessage("x".repeat(70_000))); // too big: the service checks, whoever sent it
        } finally {
            jms.close();
        }
        String fail1 = RoutingApi.newId("FAIL");
        String fail2 = RoutingApi.newId("FAIL");
        String valid = RoutingApi.newId("P");
        api.publish(key, fail1, "1"); // its work fails every time
        api.publish(key, fail2, "1");
        api.publish(key, valid, "1");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(api.receiptsOf(valid))
                .extracting(d -> d.getString("service")).containsExactlyInAnyOrder("eu-analytics", "audit"));
        String unreadable = "the JMS client cannot read it, it is not a message in the JMS client's format (";
        for (String service : List.of("eu-analytics", "audit")) {
            String prefix = " [!] " + service + " dead-lettered '" + key + "' from shop.orders." + service
                    + " to shop.orders.dead-letters: ";
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(setAside(api, prefix)).hasSize(9).contains(
                    unreadable + "java.io.EOFException)",
                    unreadable + "java.io.StreamCorruptedException: invalid stream header: 68656C6C)",
                    unreadable + "java.io.StreamCorruptedException: invalid stream header: 7B226F72)",
                    "it is a BytesMessage, not a TextMessage with an order event",
                    "its body is not an order event (no string field orderId)",
                    "its body is too big: 70000 characters, at most 65536",
                    "its work failed 3 times in a row (java.lang.IllegalStateException: simulated failure of order " + fail1 + ")",
                    "its work failed 3 times in a row (java.lang.IllegalStateException: simulated failure of order " + fail2 + ")")
                    .anyMatch(r -> r.startsWith(unreadable + "java.lang.ClassCastException: class java.lang.String cannot be cast "
                            + "to class com.rabbitmq.jms.client.RMQMessage")));
        }
        assertThat(Files.readString(Path.of("README.md"))).as("the line the README shows in step 10").contains(
                " [!] eu-analytics dead-lettered 'order.eu.created' from shop.orders.eu-analytics to shop.orders.dead-letters: "
                        + "it is a BytesMessage, not a TextMessage with an order event\n");
        assertThat(deadLetters(key)).as("the dead-letter queue holds each set-aside copy, with the queue it came from")
                .containsEntry("shop.orders.eu-analytics", 9L).containsEntry("shop.orders.audit", 9L);
        assertThat(consumersPerQueue(api)).as("not one consumer lost").isEqualTo(consumersBefore);
        assertThat(api.services()).allSatisfy(s -> assertThat(s.getBoolean("consuming")).isTrue());
        assertThat(restarts(api)).as("kept alive by the guard, not restarted by the watchdog").isEqualTo(restartsBefore);
    }
    // end::poison-test[]

    // tag::lab3-test[]
    /** Failure lab 3, run from the course folder exactly as the README prints it, against this test's server. */
    @Test
    void failureLab3AnOrderEventFromTheManagementUiIsDeadLetteredByEachServiceAndTheNextOrderIsServed() throws Exception {
        RoutingApi api = api();
        String order = RoutingApi.newId("A");
        LabScript.Result lab = LabScript.of("labs/publish-unreadable-order.sh").fromCourseFolder()
                .run(Map.of("RABBITMQ_VIRTUAL_HOST", RabbitVhost.name()), Duration.ofSeconds(30),
                        String.valueOf(base.getPort()), order)
                .assertSucceeded();
        assertThat(lab.output()).isEqualTo("{\"routed\":true}\nHTTP 202\n");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(api.receiptsOf(order).stream()
                .filter(d -> d.getString("key").equals("order.eu.paid")).map(d -> d.getString("service")))
                .containsExactlyInAnyOrder(billingInstanceOf(api, order), "shipping", "eu-analytics", "audit"));
        String why = ": the JMS client cannot read it, it is not a message in the JMS client's format (java.io.EOFException)";
        List<String> lines = api.deliveries().stream().map(d -> d.getString("line"))
                .filter(l -> l.startsWith(" [!] ") && l.contains("'order.eu.paid'")).toList();
        assertThat(lines).hasSize(4).contains(
                " [!] shipping dead-lettered 'order.eu.paid' from shop.orders.shipping-paid to shop.orders.dead-letters" + why,
                " [!] eu-analytics dead-lettered 'order.eu.paid' from shop.orders.eu-analytics to shop.orders.dead-letters" + why,
                " [!] audit dead-lettered 'order.eu.paid' from shop.orders.audit to shop.orders.dead-letters" + why)
                .anyMatch(l -> l.matches(" \\[!] billing-[12] dead-lettered 'order\\.eu\\.paid' from shop\\.orders\\.billing to "
                        + "shop\\.orders\\.dead-letters" + java.util.regex.Pattern.quote(why)));
        assertThat(Files.readString(Path.of("README.md"))).as("the line the README shows for lab 3").contains(lines.stream()
                .filter(l -> l.startsWith(" [!] eu-analytics")).findFirst().orElseThrow());
        assertThat(deadLetters("order.eu.paid")).containsEntry("shop.orders.billing", 1L)
                .containsEntry("shop.orders.shipping-paid", 1L).containsEntry("shop.orders.eu-analytics", 1L)
                .containsEntry("shop.orders.audit", 1L);
        assertThat(api.services()).allSatisfy(s -> assertThat(s.getBoolean("consuming")).as(s.toString()).isTrue());
    }
    // end::lab3-test[]

    // tag::watchdog-test[]
    @Test
    void aConsumerThatStopsAnywayIsReportedStoppedAndTheWatchdogStartsItAgain() throws Exception {
        RoutingApi api = api();
        String queue = "shop.orders.eu-analytics";
        try (Connection connection = RabbitVhost.amqpFactory().newConnection("queue-thief")) {
            Channel channel = connection.createChannel();
            channel.queueDelete(queue); // the broker cancels eu-analytics' consumer: it stops, through no fault of its own
            channel.queueDeclare(queue, false, true, false, null); // exclusive to this connection: no restart can take it yet
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonObject analytics = service(api, "eu-analytics");
                assertThat(analytics.getBoolean("consuming")).as(analytics.toString()).isFalse();
                assertThat(analytics.getInt("queueConsumers")).isZero();
            });
        } // closing the connection deletes the exclusive queue: now the watchdog's restart can declare it again

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonObject analytics = service(api, "eu-analytics");
            assertThat(analytics.getBoolean("consuming")).as(analytics.toString()).isTrue();
            assertThat(analytics.getInt("queueConsumers")).isOne();
        });
        assertThat(api.deliveries()).extracting(d -> d.getString("line"))
                .contains(" [!] eu-analytics had stopped consuming shop.orders.eu-analytics; the watchdog started it again");
        String id = RoutingApi.newId("W");
        api.publish("order.eu.created", id, "1");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.receiptsOf(id))
                .extracting(d -> d.getString("service")).containsExactlyInAnyOrder("eu-analytics", "audit"));
    }
    // end::watchdog-test[]

    @Test
    void aTickTheMarketSubscribersCannotReadIsDroppedAndTheyGoOnWithTheNextTick() throws Exception {
        RoutingApi api = api();
        try (Connection connection = RabbitVhost.amqpFactory().newConnection("plain-tick-producer");
             Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            // Plain text, not the JMS client's format: it reaches all three market subscribers.
            channel.basicPublish(Topology.TICKS, "tick.xnas.AAPL", null, "231.50".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        }
        String price = "777." + (10 + Math.floorMod(System.nanoTime(), 90)); // a price the demo feed never sends
        assertThat(api.post("api/ticks", "[{\"venue\":\"xnas\",\"symbol\":\"AAPL\",\"price\":" + price + "}]").statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonObject recent = RoutingApi.object(api.get("api/ticks").body()).getJsonObject("recent");
            for (String subscriber : List.of("aapl-watch", "nasdaq-board", "tick-recorder")) {
                assertThat(recent.getJsonArray(subscriber).getValuesAs(jakarta.json.JsonString::getString))
                        .as(subscriber).contains("tick.xnas.AAPL " + price);
            }
        });
    }

    // tag::operator-test[]
    /**
     * Anyone could add or remove subscriptions, and so change the shop's routing. Now only the operator role may:
     * anonymous or a wrong password is 401, a signed-in viewer 403, both problem+json, before the body is read.
     */
    @Test
    void onlyTheOperatorMayAddOrRemoveSubscriptionsAnyoneElseIsRefusedAndNothingChanges() throws Exception {
        RoutingApi anonymous = api();
        RoutingApi viewer = api().signedIn(RoutingApi.VIEWER, RoutingApi.VIEWER_PASSWORD);
        String rule = "{\"name\":\"by-operator\",\"pattern\":\"order.#\"}";
        HttpResponse<String> refused = anonymous.post("api/subscriptions", rule);
        assertThat(assertProblem(refused, 401, "sign-in-required").getString("detail")).startsWith("Only an operator");
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"03-routing\", charset=\"UTF-8\"");
        assertThat(assertProblem(api().signedIn(RoutingApi.OPERATOR, "guess").post("api/subscriptions", rule), 401,
                "sign-in-required").getString("detail")).startsWith("The name or password is wrong.");
        assertProblem(anonymous.post("api/subscriptions", "{\"name\":\"Bad Name\"}"), 401, "sign-in-required");
        assertProblem(viewer.post("api/subscriptions", rule), 403, "operator-only");
        assertProblem(anonymous.delete("api/subscriptions/by-operator"), 401, "sign-in-required");
        assertProblem(viewer.delete("api/subscriptions/audit"), 403, "operator-only");
        assertNoQueue("shop.orders.by-operator");
        // What the live page reads stays open to everyone.
        for (String read : List.of("api/services", "api/deliveries?after=0", "api/ticks")) {
            assertThat(anonymous.get(read).statusCode()).as(read).isEqualTo(200);
        }
        RoutingApi operator = api().asOperator();
        assertThat(operator.post("api/subscriptions", rule).statusCode()).isEqualTo(201);
        assertThat(operator.delete("api/subscriptions/by-operator").statusCode()).isEqualTo(204);
    }
    // end::operator-test[]

    // tag::password-limit-test[]
    /**
     * Each wrong password cost the server a PBKDF2 hash of 210,000 iterations, without limit: anyone could burn its CPU,
     * or guess the operator's password for ever. Now wrong passwords are counted per name (5) and per client address
     * (10) before the hash is checked, so a burst cannot slip past; past either, 429 at once, with no hash.
     */
    @Test
    void wrongPasswordsPastTheLimitAre429WithoutAHashAndTheOperatorStillSignsInFromAnotherAddress() throws Exception {
        // One name, 8 guesses at once from 8 addresses: 5 are checked (401), 3 are not.
        String name = RoutingApi.newId("guessed");
        List<HttpResponse<String>> byName = atOnce(8, i -> guess(name, "guess-" + i, "198.51.100." + i));
        assertThat(byName).extracting(HttpResponse::statusCode).containsOnly(401, 429).filteredOn(s -> s == 401).hasSize(5);
        HttpResponse<String> tooMany = byName.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertThat(assertProblem(tooMany, 429, "too-many-password-attempts").getString("detail"))
                .startsWith("Too many wrong passwords for this name: at most 5 in 5 minutes.");
        assertThat(tooMany.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 300L));

        // The 429 comes without a hash: the server spends a fraction of the CPU time on 10 refused guesses that it
        // spends on 10 checked ones. Those are for names nobody has, which cost a hash too (Users), or a fast 401 would
        // tell a guesser which names exist.
        Duration checked = serverCpuFor(10, 401, i -> guess(RoutingApi.newId("guessed"), "guess", "198.51.100." + (100 + i)));
        Duration refused = serverCpuFor(10, 429, i -> guess(name, "guess", "198.51.100.21"));
        assertThat(refused).as("the server's CPU time for 10 refused guesses, against %s for 10 checked", checked)
                .isLessThan(checked.dividedBy(3));

        // One address, 12 guesses at once for 12 names: 10 are checked, 2 are not, nor is the operator's right password.
        List<HttpResponse<String>> byAddress = atOnce(12, i -> guess(RoutingApi.newId("guessed"), "guess", "203.0.113.9"));
        assertThat(byAddress).extracting(HttpResponse::statusCode).containsOnly(401, 429).filteredOn(s -> s == 401).hasSize(10);
        assertThat(assertProblem(guess(RoutingApi.OPERATOR, RoutingApi.OPERATOR_PASSWORD, "203.0.113.9"), 429,
                "too-many-password-attempts").getString("detail")).startsWith("Too many wrong passwords from this address");
        // From another address the operator still signs in: the limit on one address locks nobody else out.
        assertThat(guess(RoutingApi.OPERATOR, RoutingApi.OPERATOR_PASSWORD, "203.0.113.10").statusCode()).isEqualTo(201);
        assertThat(api().asOperator().delete("api/subscriptions/guessed").statusCode()).isEqualTo(204);
    }
    // end::password-limit-test[]

    // tag::reserved-test[]
    @Test
    void theShopsOwnQueueNamesCannotBeTakenOrDeletedThroughTheApiSoNothingUnroutableIsDropped() throws Exception {
        RoutingApi api = api().asOperator(); // subscriptions are for the operator only
        for (String name : List.of("unrouted", "dead-letters", "audit", "billing")) {
            assertProblem(api.post("api/subscriptions", "{\"name\":\"" + name + "\",\"pattern\":\"#\"}"), 409, "reserved-name");
            assertProblem(api.delete("api/subscriptions/" + name), 409, "reserved-name");
        }
        try (Connection connection = RabbitVhost.amqpFactory().newConnection("legacy-producer");
             Channel channel = connection.createChannel()) {
            channel.basicPublish(Topology.ORDERS, "refund.eu.issued",
                    new AMQP.BasicProperties.Builder().headers(Map.of("orderId", "R-2")).build(), "{}".getBytes());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.receiptsOf("R-2"))
                .extracting(d -> d.getString("line")).containsExactly(" [unrouted] Caught 'refund.eu.issued' R-2"));
    }
    // end::reserved-test[]

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "order.*.paid;       wildcard-in-key",
        "order.eu.#;         wildcard-in-key",
        "order..paid;        empty-segment",
        ".order.eu.paid;     empty-segment",
        "order.eu.paid.;     empty-segment",
        "order.mars.paid;    unknown-region",
        "order.eu.refunded;  unknown-event",
        "invoice.eu.paid;    invalid-key",
        "order.eu;           invalid-key"})
    void aBadPublishKeyIsRefusedWithAProblemAndNothingIsPublished(String key, String code) {
        RoutingApi api = api();
        String id = RoutingApi.newId("bad");
        HttpResponse<String> response = api.post("api/orders/events",
                "{\"key\":\"" + key + "\",\"orderId\":\"" + id + "\",\"amount\":10}");

        assertProblem(response, 400, code);
        Barrier.awaitEverySubscriptionPassed(api);
        assertThat(api.deliveries()).noneMatch(d -> d.getString("id").equals(id));
    }

    @Test
    void aBadBodyIsRefusedWithAProblem() {
        RoutingApi api = api();
        assertProblem(api.post("api/orders/events", "not json"), 400, "malformed-json");
        assertProblem(api.post("api/orders/events", "[1]"), 400, "malformed-json");
        assertProblem(api.post("api/orders/events", "{\"key\":\"order.eu.paid\",\"orderId\":\"A-1\",\"amount\":-1}"), 400, "invalid-amount");
        assertProblem(api.post("api/orders/events", "{\"key\":\"order.eu.paid\",\"orderId\":\"A 1\",\"amount\":1}"), 400, "invalid-order-id");
        assertProblem(api.post("api/orders/events", "{\"key\":\"order.eu.paid\",\"orderId\":\"A-1\",\"amount\":1,\"x\":1}"), 400, "unknown-field");
        assertProblem(api.get("api/deliveries?after=abc"), 400, "invalid-after");
    }

    // tag::selector-test[]
    /** Failure lab 2, run from the course folder exactly as the README prints it, against this test's server. */
    @Test
    void anInvalidSelectorIsRefusedAtSubscribeTimeWithAnExplanationAndLeavesNoQueueBehind() throws Exception {
        RoutingApi api = api();
        LabScript.Result lab = LabScript.of("labs/mistype-selector.sh").fromCourseFolder()
                .run(Map.of(), Duration.ofSeconds(30), String.valueOf(base.getPort()))
                .assertSucceeded();

        assertThat(lab.output()).endsWith("\nHTTP 400\n");
        JsonObject problem = RoutingApi.object(lab.output().lines().findFirst().orElseThrow());
        assertThat(problem.getString("type")).isEqualTo("/problems/invalid-selector");
        assertThat(problem.getInt("status")).isEqualTo(400);
        assertThat(problem.getString("detail")).startsWith("'amount >> 1000' is not a JMS selector (")
                .contains("for example amount > 1000 AND region = 'us'").endsWith("nothing was subscribed.");
        assertThat(Files.readString(Path.of("README.md"))).as("the answer the README shows for lab 2")
                .contains(lab.output());
        assertThat(api.services()).noneMatch(s -> s.getString("subscription").equals("typo"));
        try (Connection connection = RabbitVhost.amqpFactory().newConnection("check")) {
            Channel channel = connection.createChannel(); // the broker closes it on the 404 below
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> channel.queueDeclarePassive(Topology.ORDERS + ".typo"))
                    .hasStackTraceContaining("NOT_FOUND - no queue 'shop.orders.typo'");
        }
    }
    // end::selector-test[]

    @Test
    void aServiceAddedByARuleAloneGetsWhatItsSelectorSelects() {
        RoutingApi api = api().asOperator(); // subscriptions are for the operator only
        HttpResponse<String> created = api.post("api/subscriptions",
                "{\"name\":\"big-eu\",\"pattern\":\"order.eu.#\",\"selector\":\"amount > 500\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        try {
            String big = RoutingApi.newId("E");
            String small = RoutingApi.newId("E");
            String us = RoutingApi.newId("E");
            api.publish("order.eu.created", small, "499");
            api.publish("order.us.created", us, "9999");
            api.publish("order.eu.created", big, "501");

            // big was published last on the same channel: once big-eu has it, the earlier two were decided
            await().atMost(Duration.ofSeconds(10)).until(() -> api.receiptsOf(big).stream()
                    .anyMatch(d -> d.getString("service").equals("big-eu")));
            List<String> seen = api.deliveries().stream().filter(d -> d.getString("service").equals("big-eu"))
                    .map(d -> d.getString("id")).toList();
            assertThat(seen).containsExactly(big);
            assertThat(api.receiptsOf(big).stream().filter(d -> d.getString("service").equals("big-eu")).findFirst().orElseThrow()
                    .getString("line")).isEqualTo(" [big-eu] Received 'order.eu.created' " + big);
            // A live subscription's queue expires once unused, so the app forgetting it at a restart leaves nothing behind.
            assertThat(queueArguments("shop.orders.big-eu")).containsEntry("x-expires", 60000)
                    .containsEntry("x-dead-letter-exchange", "shop.orders.dead-letters");
            assertThat(queueArguments("shop.orders.audit")).doesNotContainKey("x-expires")
                    .containsEntry("x-dead-letter-exchange", "shop.orders.dead-letters");
        } finally {
            assertThat(api.delete("api/subscriptions/big-eu").statusCode()).isEqualTo(204);
        }
    }

    @Test
    void aBadPatternOrNameIsRefusedAndTheBuiltInServicesCannotBeRemoved() {
        RoutingApi api = api().asOperator(); // subscriptions are for the operator only
        assertProblem(api.post("api/subscriptions", "{\"name\":\"x\",\"pattern\":\"order..paid\"}"), 400, "invalid-pattern");
        assertProblem(api.post("api/subscriptions", "{\"name\":\"x\",\"pattern\":\"order.e*.paid\"}"), 400, "invalid-pattern");
        assertProblem(api.post("api/subscriptions", "{\"name\":\"Bad Name\",\"pattern\":\"order.#\"}"), 400, "invalid-name");
        assertProblem(api.post("api/subscriptions", "{\"name\":\"audit\",\"pattern\":\"order.#\"}"), 409, "reserved-name");
        assertProblem(api.delete("api/subscriptions/audit"), 409, "reserved-name");
        assertProblem(api.delete("api/subscriptions/nobody"), 404, "no-such-subscription");
    }

    // tag::abuse-pattern-test[]
    /** One binding of 127 '#' kept a shared broker busy for minutes: a pattern that big never reaches the broker. */
    @Test
    void aPatternWithTooManyHashesWordsOrCharactersIsRefusedBeforeAnyQueueIsDeclared() throws Exception {
        RoutingApi api = api().asOperator(); // subscriptions are for the operator only
        assertThat(assertProblem(api.post("api/subscriptions", "{\"name\":\"greedy\",\"pattern\":\"#.a.#.b.#\"}"), 400,
                "pattern-too-big").getString("detail")).contains("it has 3 '#', at most 2 (routing.pattern-max-hashes)");
        assertThat(assertProblem(api.post("api/subscriptions", "{\"name\":\"greedy\",\"pattern\":\"a.b.c.d.e.f.g.h.i\"}"), 400,
                "pattern-too-big").getString("detail")).contains("it has 9 words, at most 8 (routing.pattern-max-words)");
        // Over 255 bytes, the AMQP limit of a binding key: this was a 500 that left its queue behind.
        assertThat(assertProblem(api.post("api/subscriptions", "{\"name\":\"greedy\",\"pattern\":\"" + "a".repeat(300) + "\"}"),
                400, "pattern-too-big").getString("detail")).contains("it has 300 characters, at most 128");
        assertNoQueue("shop.orders.greedy");
        assertOthersStillServed(api);
    }
    // end::abuse-pattern-test[]

    // tag::abuse-selector-test[]
    /**
     * 1e400 passed the JMS client's compiler as Infinity, which the broker's JMS topic exchange cannot decode: it closed
     * the server's whole JMS connection. Such selectors, and ones nested or long enough to overflow a parser's stack,
     * are refused before any queue is declared, and every service keeps its consumer.
     */
    @Test
    void aSelectorTheBrokerCouldNotDecodeOrTooDeepToParseIsRefusedAndEveryServiceKeepsItsConsumer() throws Exception {
        RoutingApi api = api().asOperator(); // subscriptions are for the operator only
        Map<String, Integer> consumersBefore = consumersPerQueue(api);
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("amount > 1e400", "the number 1e400 is out of range");
        refused.put("amount > 99999999999999999999", "the number 99999999999999999999 is out of range");
        refused.put("amount > 1e99999999999", "the number 1e99999999999 is out of range");
        refused.put("(".repeat(17) + "amount > 1" + ")".repeat(17), "its parentheses nest deeper than 16 (routing.selector-max-depth)");
        refused.put("(".repeat(3000) + "amount > 1" + ")".repeat(3000), "it has 6010 characters, at most 512");
        refused.put("region = '\u00e9u'", "it has a character that is not printable ASCII");
        refused.forEach((selector, why) -> assertThat(assertProblem(api.post("api/subscriptions",
                "{\"name\":\"choke\",\"pattern\":\"order.#\",\"selector\":\"" + selector + "\"}"), 400, "invalid-selector")
                .getString("detail")).as(selector).contains(why).endsWith("nothing was subscribed."));
        // In range, and just as deep as allowed: accepted, and so decoded by the broker.
        HttpResponse<String> fine = api.post("api/subscriptions", "{\"name\":\"choke\",\"pattern\":\"order.#\",\"selector\":\""
                + "(".repeat(16) + "amount > 1.7e308 OR amount < 9223372036854775807" + ")".repeat(16) + "\"}");
        assertThat(fine.statusCode()).as(fine.body()).isEqualTo(201);
        assertThat(api.delete("api/subscriptions/choke").statusCode()).isEqualTo(204);
        assertNoQueue("shop.orders.choke");
        assertOthersStillServed(api);
        assertThat(consumersPerQueue(api)).as("the server's JMS connection stayed up: not one consumer lost").isEqualTo(consumersBefore);
    }
    // end::abuse-selector-test[]

    /** 2,034 anonymous subscriptions used up the server's JMS channels: live ones are capped (3 in the tests, see arquillian.xml). */
    @Test
    void subscriptionsAddedWhileTheShopRunsAreCappedWith429AndTheShopKeepsServing() throws Exception {
        RoutingApi api = api().asOperator(); // subscriptions are for the operator only
        List<String> names = List.of("cap-1", "cap-2", "cap-3");
        try {
            for (String name : names) {
                HttpResponse<String> created = api.post("api/subscriptions", "{\"name\":\"" + name + "\",\"pattern\":\"order.us.#\"}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            }
            assertThat(assertProblem(api.post("api/subscriptions", "{\"name\":\"cap-4\",\"pattern\":\"order.us.#\"}"), 429,
                    "too-many-subscriptions").getString("detail")).contains("At most 3 subscriptions", "routing.max-live-subscriptions");
            assertNoQueue("shop.orders.cap-4");
            assertOthersStillServed(api);
            assertThat(api.delete("api/subscriptions/cap-1").statusCode()).isEqualTo(204);
            HttpResponse<String> again = api.post("api/subscriptions", "{\"name\":\"cap-4\",\"pattern\":\"order.us.#\"}");
            assertThat(again.statusCode()).as("one deleted, one may be added: " + again.body()).isEqualTo(201);
        } finally {
            for (String name : List.of("cap-1", "cap-2", "cap-3", "cap-4")) {
                api.delete("api/subscriptions/" + name);
            }
        }
    }

    // tag::abuse-tick-test[]
    /** A 53-byte tick became a 20 MB message; a bigger one closed the ingester's channel for good. Both are refused. */
    @Test
    void aTickPriceOutOfRangeIsRefusedAndTheNextValidTickIsStillRouted() {
        RoutingApi api = api();
        for (String price : List.of("1e20000000", "1e140000000", "1e-20000000", "0", "-1", "1000000000.01", "1.123456789")) {
            assertThat(assertProblem(api.post("api/ticks", "[{\"venue\":\"xnas\",\"symbol\":\"AAPL\",\"price\":" + price + "}]"),
                    400, "invalid-tick").getString("detail")).as(price)
                    .contains("at most 1000000000 (routing.tick-max-price) with at most 8 decimals");
        }
        String price = "0.00000001"; // the smallest price with 8 decimals
        assertThat(api.post("api/ticks", "[{\"venue\":\"xnas\",\"symbol\":\"MSFT\",\"price\":" + price + "}]").statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(RoutingApi.object(api.get("api/ticks").body())
                .getJsonObject("recent").getJsonArray("nasdaq-board").getValuesAs(jakarta.json.JsonString::getString))
                .contains("tick.xnas.MSFT " + price));
    }
    // end::abuse-tick-test[]

    // tag::tick-channel-test[]
    /**
     * A tick over the broker's message size once closed the ingester's channel, and every later tick was a 500 until a
     * restart. Price limits now refuse such a tick, but the broker may still close the channel: here a topic permission
     * forbids one routing key, so the broker closes the channel that publishes it (403). Every tick is still answered
     * 202, the ingester says once that it starts over on a new channel, and the next ticks are routed.
     */
    @Test
    void theTickIngesterStartsOverWhenTheBrokerClosesItsChannelAndLaterTicksFlow() {
        RoutingApi api = api();
        String startOver = " [!] The tick ingester's channel was closed; it starts over on a new one: ";
        long before = api.deliveries().stream().filter(d -> d.getString("line").startsWith(startOver)).count();
        List<Integer> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        RabbitVhost.management().updateTopicPermissions(RabbitVhost.name(), RabbitVhost.username(),
                new TopicPermissions(Topology.TICKS, ".*", "^(?!tick\\.xnas\\.BLOCKED$)")); // exchange, read, write
        try {
            answers.add(api.post("api/ticks", "[{\"venue\":\"xnas\",\"symbol\":\"BLOCKED\",\"price\":1}]").statusCode());
            // The broker closes the channel after the publish; the next tick finds it closed, and starts over.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                answers.add(api.post("api/ticks", "[{\"venue\":\"xnas\",\"symbol\":\"AAPL\",\"price\":1}]").statusCode());
                assertThat(api.deliveries().stream().filter(d -> d.getString("line").startsWith(startOver)).count())
                        .isGreaterThan(before);
            });
        } finally {
            RabbitVhost.management().clearTopicPermissions(RabbitVhost.name(), RabbitVhost.username());
        }
        String price = "555." + (10 + Math.floorMod(System.nanoTime(), 90));
        answers.add(api.post("api/ticks", "[{\"venue\":\"xnas\",\"symbol\":\"AAPL\",\"price\":" + price + "}]").statusCode());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(RoutingApi.object(api.get("api/ticks").body())
                .getJsonObject("recent").getJsonArray("tick-recorder").getValuesAs(jakarta.json.JsonString::getString))
                .contains("tick.xnas.AAPL " + price));
        assertThat(answers).as("every tick answered 202, none 500").containsOnly(202);
    }
    // end::tick-channel-test[]

    /** 300,000 made-up symbols were all kept: the ticker keeps the last price of at most 1000, the newest ones. */
    @Test
    void theLastPricesKeptAreCappedAndTheNewestSymbolsAreKept() {
        RoutingApi api = api();
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 1100; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"venue\":\"xcap\",\"symbol\":\"").append(letters(i)).append("\",\"price\":1}");
        }
        assertThat(api.post("api/ticks", batch.append(']').toString()).statusCode()).isEqualTo(202);
        String newest = letters(1099) + "@xcap";
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(RoutingApi.object(api.get("api/ticks").body())
                .getJsonObject("last")).containsKey(newest));
        JsonObject last = RoutingApi.object(api.get("api/ticks").body()).getJsonObject("last");
        assertThat(last).hasSize(1000).doesNotContainKey(letters(0) + "@xcap");
    }

    // tag::abuse-body-test[]
    /** A body of 3000 '[' was a 500 with an HTML stack trace; any body was read whole. Both are a 4xx problem now. */
    @Test
    void jsonNestedTooDeepIs400AndABodyOverTheLimitIs413WhetherItsLengthIsSaidOrNot() throws Exception {
        RoutingApi api = api().asOperator(); // subscriptions are for the operator only
        String deep = "[".repeat(3000) + "]".repeat(3000);
        for (String path : List.of("api/orders/events", "api/subscriptions", "api/ticks")) {
            assertProblem(api.post(path, deep), 400, "too-deeply-nested");
        }
        // A client that says 50 MB is coming is refused before one byte of the body is read.
        String head = "POST /api/ticks HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: 52428800\r\nConnection: close\r\n\r\n";
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            // The server may keep the connection open to drain the body it never asked for: read up to the problem's end.
            java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; !read.toString(StandardCharsets.UTF_8).contains("Nothing was done.")
                        && (n = socket.getInputStream().read(buffer)) > 0; ) {
                    read.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("no whole answer within 10 s, only: " + read.toString(StandardCharsets.UTF_8), e);
            }
            String answer = read.toString(StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("application/problem+json", "/problems/body-too-large",
                    "at most 1048576 bytes (routing.max-body-bytes)");
        }
        // Chunked: no Content-Length to refuse up front, so the limit counts the bytes as they come.
        byte[] big = ("[" + " ".repeat(1024 * 1024) + "]").getBytes(StandardCharsets.UTF_8);
        assertProblem(api.raw("POST", "api/ticks", java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(big)), "Content-Type", "application/json"), 413, "body-too-large");
        assertThat(api.post("api/ticks", "[{\"venue\":\"xnas\",\"symbol\":\"AAPL\",\"price\":1}]").statusCode()).isEqualTo(202);
    }
    // end::abuse-body-test[]

    // tag::cross-site-test[]
    /**
     * The requests a page on another origin made succeed before: fetch(..., {mode: 'no-cors', body: blob}) sends no
     * Content-Type, sendBeacon text/plain, a form url-encoded. Refused: 403 with a foreign Origin, 415 if not JSON.
     */
    @Test
    void writesFromAnotherOriginOrNotInJsonAreRefusedAndChangeNothing() {
        RoutingApi api = api();
        String id = RoutingApi.newId("X");
        String order = "{\"key\":\"order.eu.paid\",\"orderId\":\"" + id + "\",\"amount\":1}";
        String subscription = "{\"name\":\"csrf\",\"pattern\":\"#\"}";
        String evil = "http://127.0.0.1:1"; // another origin: another host name and port
        for (String path : List.of("api/orders/events", "api/subscriptions")) {
            String body = path.contains("orders") ? order : subscription;
            var blob = java.net.http.HttpRequest.BodyPublishers.ofString(body);
            assertProblem(api.raw("POST", path, blob, "Origin", evil), 403, "foreign-origin"); // fetch no-cors with a blob
            assertProblem(api.raw("POST", path, blob, "Origin", evil, "Content-Type", "text/plain;charset=UTF-8"),
                    403, "foreign-origin"); // sendBeacon with a string
            assertProblem(api.raw("POST", path, blob, "Origin", evil, "Content-Type", "application/x-www-form-urlencoded"),
                    403, "foreign-origin"); // a form post
            assertProblem(api.raw("POST", path, blob, "Origin", "null"), 403, "foreign-origin"); // a sandboxed page
            assertProblem(api.raw("POST", path, blob), 415, "json-only"); // no Origin, no Content-Type
            assertProblem(api.raw("POST", path, blob, "Content-Type", "text/plain"), 415, "json-only");
            assertProblem(api.raw("POST", path, blob, "Content-Type", "*/*"), 415, "json-only");
        }
        assertProblem(api.raw("DELETE", "api/subscriptions/audit", java.net.http.HttpRequest.BodyPublishers.noBody(),
                "Origin", evil), 403, "foreign-origin");
        assertThat(api.services()).noneMatch(s -> s.getString("subscription").equals("csrf"));
        // The page's own requests carry this server's origin and JSON: served.
        HttpResponse<String> own = api.raw("POST", "api/orders/events", java.net.http.HttpRequest.BodyPublishers.ofString(order),
                "Origin", api.origin(), "Content-Type", "application/json");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.receiptsOf(id)).isNotEmpty());
        Barrier.awaitEverySubscriptionPassed(api);
        assertThat(api.deliveries().stream().filter(d -> d.getString("id").equals(id) && d.getString("service").equals("x")
                && d.getString("key").equals("order.eu.paid"))).as("exactly one send: the refused ones published nothing").hasSize(1);
    }
    // end::cross-site-test[]

    /**
     * Found by fuzzing: a charset the server does not know was a 500; an unknown path, an unparseable Content-Type
     * and a request to upgrade to HTTP/2 got the server's HTML page. Each is a 4xx problem+json now, whose end a
     * client on a kept-alive connection can see.
     */
    @Test
    void whatTheServerRefusesBeforeTheApplicationIsAProblemThatEndsAndAnUnknownCharsetIs415() {
        String order = "{\"key\":\"order.eu.paid\",\"orderId\":\"" + RoutingApi.newId("C") + "\",\"amount\":1}";
        ServerRefusals.assertRefusedAsProblems(base, order, "/api/orders/events", "/api/subscriptions", "/api/ticks");
    }

    /**
     * Found by {@code FuzzIT}: a method the static pages do not know was a 501, a server error; a request asking for a
     * WebSocket (this module has none) got the server's HTML page, and with a body it was never answered. Each is a
     * 4xx problem+json now, which ends. And {@code OPTIONS} no longer answers with Jersey's WADL.
     */
    @Test
    void anUnknownMethodIs405ARequestForAWebSocketIsAProblemThatEndsAndOptionsShowsNoWadl() {
        RawRequest.Answer propfind = RawRequest.send(base, "PROPFIND", "/index.html", "", SECONDS_10);
        assertRawProblem(propfind, 405);
        assertThat(propfind.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        // The problem, Content-Type included: an early flush of the answer lost it on any request with an Upgrade header
        RawRequest.Answer websocket = RawRequest.send(base, "GET", "/no-such-page", "", SECONDS_10, "Upgrade: websocket",
                "Connection: Upgrade", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
        ServerRefusals.assertProblem(websocket, 404);
        assertThat(RoutingApi.object(websocket.body()).getString("type")).isEqualTo("/problems/http-404");
        RawRequest.Answer withBody = RawRequest.send(base, "POST", "/api/ticks", "[]", SECONDS_10, "Upgrade: websocket",
                "Connection: Upgrade", "Content-Type: application/json");
        assertThat(withBody.status()).as(withBody.toString()).isEqualTo(400);
        assertThat(RoutingApi.object(withBody.body()).getString("type")).isEqualTo("/problems/upgrade-with-body");
        // OPTIONS answered Jersey's WADL: the framework's exact version, and the path echoed into XML
        RawRequest.Answer options = RawRequest.send(base, "OPTIONS", "/api/subscriptions/audit-x", "", SECONDS_10);
        assertThat(options.status()).isEqualTo(200);
        assertThat(options.header("Allow")).contains("DELETE", "OPTIONS");
        assertThat(options.body()).doesNotContain("Jersey", "audit-x");
    }

    /**
     * Found by FuzzIT (run as a normal user): a form request that asks for a WebSocket upgrade and declares an empty
     * body ("Content-Length: 0") hung until the client gave up: JAX-RS waited for the form body the container keeps
     * from the application. It is answered at once now, 400 upgrade-with-body.
     */
    @org.junit.jupiter.api.Test
    void anUpgradeWithADeclaredEmptyFormBodyIsAnsweredAtOnce() {
        String request = "FOO /api/subscriptions/x/y/z HTTP/1.0\r\nHost: localhost:" + base.getPort() + "\r\n"
                + "Connection: Upgrade\r\nUpgrade: websocket\r\nContent-Length: 0\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n\r\n";
        RawRequest.Answer answer = RawRequest.sendBytes(base, request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                false, SECONDS_10);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.body()).as(answer.toString()).contains("/problems/upgrade-with-body");
    }

    private static final Duration SECONDS_10 = Duration.ofSeconds(10);

    private static void assertRawProblem(RawRequest.Answer answer, int status) {
        ServerRefusals.assertProblem(answer, status);
    }

    /** Six capital letters that name {@code i}: a distinct symbol per number. */
    private static String letters(int i) {
        StringBuilder symbol = new StringBuilder();
        for (int k = 0; k < 6; k++, i /= 26) {
            symbol.append((char) ('A' + i % 26));
        }
        return symbol.toString();
    }

    /** A valid order still reaches every service it should: whatever was refused, the shop goes on serving others. */
    private static void assertOthersStillServed(RoutingApi api) {
        String id = RoutingApi.newId("OK");
        api.publish("order.eu.created", id, "1");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.receiptsOf(id))
                .extracting(d -> d.getString("service")).containsExactlyInAnyOrder("eu-analytics", "audit"));
    }

    private static void assertNoQueue(String queue) throws Exception {
        try (Connection connection = RabbitVhost.amqpFactory().newConnection("check")) {
            Channel channel = connection.createChannel(); // the broker closes it on the 404 below
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> channel.queueDeclarePassive(queue))
                    .hasStackTraceContaining("NOT_FOUND - no queue '" + queue + "'");
        }
    }

    private static Map<String, Object> queueArguments(String queue) {
        return RabbitVhost.management().getQueue(RabbitVhost.name(), queue).getArguments();
    }

    private static long restarts(RoutingApi api) {
        return api.deliveries().stream().filter(d -> d.getString("line").endsWith("the watchdog started it again")).count();
    }

    private static JsonObject service(RoutingApi api, String instance) {
        return api.services().stream().filter(s -> s.getString("instance").equals(instance)).findFirst().orElseThrow();
    }

    /** Which billing instance got {@code order}: the two share billing's queue, so either may. */
    private static String billingInstanceOf(RoutingApi api, String order) {
        return api.receiptsOf(order).stream().map(d -> d.getString("service")).filter(s -> s.startsWith("billing-"))
                .findFirst().orElse("billing-1 or billing-2");
    }

    /** The reasons of every {@code  [!]} line that starts with {@code prefix}. */
    private static List<String> setAside(RoutingApi api, String prefix) {
        return api.deliveries().stream().map(d -> d.getString("line")).filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length())).toList();
    }

    /** The broker's consumer count per service queue, as GET /api/services reports it. */
    private static Map<String, Integer> consumersPerQueue(RoutingApi api) {
        Map<String, Integer> consumers = new java.util.TreeMap<>();
        api.services().forEach(s -> consumers.put(s.getString("queue"), s.getInt("queueConsumers")));
        return consumers;
    }

    /** How many messages with {@code key} the dead-letter queue holds per queue they came from (x-death), read without taking them. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> deadLetters(String key) throws Exception {
        Map<String, Long> perQueue = new java.util.TreeMap<>();
        try (Connection connection = RabbitVhost.amqpFactory().newConnection("dead-letter-reader");
             Channel channel = connection.createChannel()) {
            // Not acknowledged: closing the channel puts every one back.
            for (com.rabbitmq.client.GetResponse got = channel.basicGet(Topology.DEAD_LETTERS, false); got != null;
                 got = channel.basicGet(Topology.DEAD_LETTERS, false)) {
                if (!got.getEnvelope().getRoutingKey().equals(key)) {
                    continue;
                }
                List<Map<String, Object>> deaths = (List<Map<String, Object>>) got.getProps().getHeaders().get("x-death");
                perQueue.merge(deaths.get(0).get("queue").toString(), 1L, Long::sum);
            }
        }
        return perQueue;
    }

    /** Tries to add a subscription as {@code name}, from {@code address} (our proxy's X-Forwarded-For). */
    private HttpResponse<String> guess(String name, String password, String address) {
        return api().signedIn(name, password).raw("POST", "api/subscriptions",
                java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"guessed\",\"pattern\":\"order.#\"}"),
                "Content-Type", "application/json", "X-Forwarded-For", address);
    }

    /** Sends {@code count} requests at the same time, and returns their answers. */
    private static List<HttpResponse<String>> atOnce(int count, java.util.function.IntFunction<HttpResponse<String>> request)
            throws Exception {
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<HttpResponse<String>>> answers = java.util.stream.IntStream.range(0, count)
                    .mapToObj(i -> threads.submit(() -> {
                        assertThat(start.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                        return request.apply(i);
                    })).toList();
            start.countDown();
            List<HttpResponse<String>> responses = new java.util.ArrayList<>();
            for (var answer : answers) {
                responses.add(answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return responses;
        }
    }

    /** The server's CPU time while {@code count} guesses are sent at once, each answered {@code status}. */
    private static Duration serverCpuFor(int count, int status, java.util.function.IntFunction<HttpResponse<String>> guess)
            throws Exception {
        Duration before = serverCpu();
        assertThat(atOnce(count, guess)).extracting(HttpResponse::statusCode).containsOnly(status);
        return serverCpu().minus(before);
    }

    /** The CPU time the server has used so far: Arquillian runs Payara Micro as a child process of this JVM. */
    private static Duration serverCpu() {
        Duration used = ProcessHandle.current().descendants().map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
        assertThat(used).as("the server's CPU time, as the OS reports it").isPositive();
        return used;
    }

    private static JsonObject assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonObject problem = RoutingApi.object(response.body());
        assertThat(problem.getString("type")).isEqualTo("/problems/" + code);
        assertThat(problem.getInt("status")).isEqualTo(status);
        assertThat(problem.getString("detail")).endsWith(".");
        return problem;
    }
}
