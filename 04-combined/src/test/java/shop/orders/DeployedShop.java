package shop.orders;

import course.testkit.PayaraProcess;
import course.testkit.RabbitVhost;
import course.testkit.SharedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The base of the single-instance black-box tests: the module's real WAR (web tier and all three step services) on
 * a real Payara Micro, in this run's own vhost, driven as a client over HTTP, WebSocket and a browser. It is booted
 * once for the whole test run and shared by every class that extends this one: they all deploy the same unmodified
 * WAR with the same settings, so one boot (12-20 s) instead of one per class. That is why these tests no longer use
 * Arquillian, as 03's do (01's and 02's share a server too): Arquillian 1.10's Payara Micro container boots a server for every class, and
 * these six classes spent more time in those boots than in their tests. The classes share the shop as customers
 * share one: each test signs in as customers of its own and checks its own orders' effects (their ids are UUIDs),
 * never that the shop is empty; the shop's stores, topology and broker users go once it stops. Classes that start
 * shops of their own in the same vhost (ScaleOutIT, ShippingDownIT, EndToEndLatencyExperiment) stop this one first
 * ({@link #SHOP}{@code .stopFirst()}), since it would be one more consumer of their queues, and run after these
 * classes ({@link SharedShopFirst}), so that it boots once.
 */
@ExtendWith({RabbitVhost.class, WebStompCheck.class})
abstract class DeployedShop {

    static final Path DATA = Path.of(System.getProperty("shop.test-data"));

    /** The shop, as {@link #shopSettings()} starts it. Its users, topology and stores go once it stops. */
    @RegisterExtension
    static final SharedServer SHOP = SharedServer.forTheRun("shop", "orders", DeployedShop::shopSettings)
            .afterStop(DeployedShop::removeShopState);

    /** The shop's root URL, {@code http://localhost:<port>/}. */
    URL base;

    @BeforeEach
    void shopUrl() {
        connected(SHOP.process()); // once it is, every later test finds the line at once
        base = SHOP.url();
    }

    /** What Revocations prints once its stream consumer and its publisher are open: from then on a sign-in can revoke. */
    private static final Pattern REVOCATIONS_CONNECTED = Pattern.compile(" \\[\\*] Revocations reading ");
    private static final Duration CONNECT_WITHIN = Duration.ofSeconds(30);

    /**
     * Waits until a shop that said it is ready has also connected its revocations to the broker: until then it
     * answers every sign-in 503 (it cannot end the customer's older sessions on the other instances), since "ready"
     * is Payara's word and the broker connections open just after, in the background. A test waits on this once,
     * instead of retrying its first sign-in; fails, saying so, if the connection does not come.
     */
    static PayaraProcess connected(PayaraProcess shop) {
        try {
            org.awaitility.Awaitility.await("the shop's revocations to connect to the broker").atMost(CONNECT_WITHIN)
                    .until(() -> shop.count(REVOCATIONS_CONNECTED) > 0);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("The shop on port " + shop.port() + " did not connect its revocations to the"
                    + " broker within " + CONNECT_WITHIN.toSeconds() + " s of being ready (no line like '"
                    + REVOCATIONS_CONNECTED.pattern() + "'), so it would answer every sign-in 503; its last lines: "
                    + lastLines(shop), e);
        }
        return shop;
    }

    private static String lastLines(PayaraProcess shop) {
        java.util.List<String> lines = shop.lines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /**
     * The shop's settings, the same as when Arquillian started it: this run's vhost, broker users named after the
     * vhost, stores under target/, 50 ms of work per step, the run's session secret, and the run's customers with the
     * tests' address as a trusted proxy. {@link PayaraProcess} adds the JIT (testkit FullJit: C1 only, unless the run
     * sizes an experiment) and a temp folder under target/tmp. The shop boots with empty stores: what a run before
     * this one left is deleted first.
     */
    private static Map<String, String> shopSettings() {
        deleteData();
        String vhost = RabbitVhost.name();
        Map<String, String> settings = new HashMap<>(Map.of(
                "rabbitmq.virtual-host", vhost,
                "shop.data-dir", DATA.toString(),
                "shop.work-ms", "50",
                "shop.session-secret", System.getProperty("shop.test-secret"),
                "board.username", BoardUser.name()));
        settings.putAll(RoleUsers.properties()); // rabbitmq.<role>.username: the vhost's name and the role's
        settings.putAll(TestCustomers.serverProperties()); // the customers file, the trusted proxies, the unlimited addresses
        return Map.copyOf(settings);
    }

    /**
     * What the shop leaves once it stops: the topology, the users it created at start (board.provision and
     * rabbitmq.provision; deleting the vhost keeps users) and the stores.
     */
    private static void removeShopState() {
        try {
            try (ShopBroker broker = ShopBroker.connect()) {
                broker.deleteTopology();
            }
            BoardUser.delete();
            RoleUsers.deleteAll();
            deleteData();
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Removing what the shared shop left: " + e.getMessage(), e);
        }
    }

    /**
     * The settings of a shop a class starts as a process of its own: this run's vhost, stores, session secret, broker
     * users and customers, no board user (the board has its own test, BoardIT), and the class's {@code own} settings.
     */
    static Map<String, String> processSettings(Map<String, String> own) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "rabbitmq.virtual-host", RabbitVhost.name(),
                "board.provision", "false",
                "shop.data-dir", DATA.toString(),
                "shop.session-secret", System.getProperty("shop.test-secret")));
        settings.putAll(RoleUsers.properties()); // this run's own broker users, deleted after the class
        settings.putAll(TestCustomers.serverProperties()); // and its own customers
        settings.putAll(own);
        return Map.copyOf(settings);
    }

    /**
     * What a class that starts shops of its own removes at its end: those processes, the topology, the role users
     * the shop creates at start (rabbitmq.provision; deleting the vhost keeps users) and the stores.
     */
    static void removeShops(PayaraProcess... processes) throws Exception {
        Stream.of(processes).filter(Objects::nonNull).forEach(PayaraProcess::close);
        try (ShopBroker broker = ShopBroker.connect()) {
            broker.deleteTopology();
        }
        RoleUsers.deleteAll();
        deleteData();
    }

    static boolean effect(String service, String effect, String orderId) {
        return Files.exists(DATA.resolve(service).resolve(effect + "-" + orderId));
    }

    static String read(String service, String effect, String orderId) throws IOException {
        return Files.readString(DATA.resolve(service).resolve(effect + "-" + orderId));
    }

    /** How many lines of a service's journal mention the order: charges on the payment provider's statement. */
    static long lines(String service, String journal, String orderId) throws IOException {
        return linesIn(DATA, service, journal, orderId);
    }

    /** As {@link #lines}, for a shop whose stores are under {@code dataDir}. */
    static long linesIn(Path dataDir, String service, String journal, String orderId) throws IOException {
        Path file = dataDir.resolve(service).resolve(journal);
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> l.contains(orderId)).count() : 0;
    }

    static void deleteData() {
        deleteDataIn(DATA);
    }

    /** Deletes a shop's stores: {@code dataDir}, its shop.data-dir, with everything in it. */
    static void deleteDataIn(Path dataDir) {
        if (Files.isDirectory(dataDir)) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
