package shop.orders;

import course.testkit.ArquillianJit;
import course.testkit.ModuleWar;
import course.testkit.PayaraProcess;
import course.testkit.RabbitVhost;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The base of the single-instance black-box tests: Arquillian runs the module's real WAR (web tier
 * and all three step services) on a real Payara Micro, in this run's own vhost. Each class starts
 * with an empty workflow and empty service stores.
 */
@ExtendWith({RabbitVhost.class, WebStompCheck.class, ArquillianJit.class, ArquillianExtension.class})
@RunAsClient
abstract class DeployedShop {

    static final Path DATA = Path.of(System.getProperty("shop.test-data"));

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ModuleWar.asRoot("orders");
    }

    @ArquillianResource
    URL base;

    @BeforeAll
    static void emptyStores() throws IOException {
        deleteData();
    }

    @AfterAll
    static void removeTopology() throws Exception {
        try (ShopBroker broker = ShopBroker.connect()) {
            broker.deleteTopology();
        }
        BoardUser.delete(); // the shop creates it at start (board.provision); deleting the vhost keeps users
        RoleUsers.deleteAll(); // likewise (rabbitmq.provision)
        deleteData();
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

    /** The effects a service recorded, for example charges: one file per effect and order. */
    static long effects(String service, String effect) throws IOException {
        Path dir = DATA.resolve(service);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(effect + "-")).count();
        }
    }

    static boolean effect(String service, String effect, String orderId) {
        return Files.exists(DATA.resolve(service).resolve(effect + "-" + orderId));
    }

    static String read(String service, String effect, String orderId) throws IOException {
        return Files.readString(DATA.resolve(service).resolve(effect + "-" + orderId));
    }

    /** How many lines of a service's journal mention the order: charges on the payment provider's statement. */
    static long lines(String service, String journal, String orderId) throws IOException {
        Path file = DATA.resolve(service).resolve(journal);
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> l.contains(orderId)).count() : 0;
    }

    static void deleteData() throws IOException {
        if (Files.isDirectory(DATA)) {
            try (Stream<Path> files = Files.walk(DATA)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
