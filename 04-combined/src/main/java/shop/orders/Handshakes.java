package shop.orders;

/** The paths where this module's WebSocket handshakes arrive: {@link ContainerErrors} lets them pass untouched. */
final class Handshakes {

    private Handshakes() {
    }

    /** Whether a path (within the application) is a WebSocket's: the order channel's. */
    static boolean at(String path) {
        return path.equals("/orders");
    }
}
