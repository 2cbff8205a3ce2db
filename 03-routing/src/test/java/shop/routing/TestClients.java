package shop.routing;

/** Settings a unit test gives the server's broker gateway, without Payara's config. */
public final class TestClients {

    private TestClients() {
    }

    /** The server's broker settings as a unit test sets them, without Payara's config: guest on localhost:{@code port}, vhost {@code /}. */
    public static BrokerSettings brokerSettings(int port) {
        BrokerSettings settings = new BrokerSettings();
        settings.host = "localhost";
        settings.port = port;
        settings.username = "guest";
        settings.password = "guest";
        settings.virtualHost = "/";
        return settings;
    }
}
