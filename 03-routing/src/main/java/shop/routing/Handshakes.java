package shop.routing;

/** The paths where this module's WebSocket handshakes arrive: {@link ContainerErrors} lets them pass untouched. */
final class Handshakes {

    private Handshakes() {
    }

    /** Whether a path (within the application) is a WebSocket's: none, this module has no WebSocket. */
    static boolean at(String path) {
        return false;
    }
}
