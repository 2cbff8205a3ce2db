package shop.orders;

import course.testkit.FuzzFrames;

/**
 * A container limit the fuzz test keeps out of its inputs rather than tolerates, as testkit's {@code ContainerDefects}
 * does with {@code CONNECT}: each would cost a timeout. A frame whose header declares a length over the endpoint's
 * limit ({@link OrderEndpoint#MAX_FRAME}) and then sends a few bytes is not refused from its header: the container's
 * WebSocket parser (Tyrus, in Payara Micro 7.2025.1) waits for the declared bytes, and checks the size only once the
 * whole frame is there (a frame that does arrive whole is closed with 1009). The application sees no frame at all
 * before that, so it cannot refuse it sooner; the connection ends at its idle timeout. Such inputs are counted
 * under {@link #OUTCOME}, never sent.
 */
final class TyrusWaits {

    static final String OUTCOME = "WebSocket not sent: a declared length over the limit (the container waits for the bytes)";

    private TyrusWaits() {
    }

    /** Whether the input holds a frame that declares more than the limit and sends less (see FuzzFrames). */
    static boolean forDeclaredLength(FuzzFrames.Input input) {
        return input.description().contains(" declared, over the limit");
    }
}
