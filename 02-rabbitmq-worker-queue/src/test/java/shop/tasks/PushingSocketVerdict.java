package shop.tasks;

import course.testkit.FrameVerdict;
import course.testkit.FuzzFrames;
import course.testkit.FuzzVerdict;
import course.testkit.RawWebSocket;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * testkit's {@link FrameVerdict} for a WebSocket that pushes on its own: the dashboard sends a snapshot twice a
 * second, so waiting {@link FrameVerdict#ANSWER_TIMEOUT} for the next frame never times out, and a server that
 * never answers the probe would keep the test waiting for ever. Here the whole exchange has that deadline. The
 * rest is FrameVerdict's rule: after the input a unique ping; the exchange ends at its pong or at the server's
 * close, whose code must be a refusal's (or 1000/1005 to a client's own close); text frames must show no stack
 * trace. (Kept here, not in testkit, while the harness is being changed: see the fuzz test's report.)
 */
final class PushingSocketVerdict {

    private static long probes;

    private PushingSocketVerdict() {
    }

    /**
     * The container's one known hang, tolerated and counted, with a short wait instead of the full deadline: Tyrus
     * (Payara's WebSocket container) refuses a frame longer than the endpoint's maxMessageSize only once all its
     * bytes are there, so a frame that declares a length over the limit and sends less is waited for. (Its incoming
     * buffer is no way out: set to the limit, a frame over it is closed with 1011, a server error.)
     */
    static final String DECLARED_OVER_THE_LIMIT = "declared, over the limit";
    private static final Duration DECLARED_PATIENCE = Duration.ofSeconds(1);

    /** Writes the input and the probe, reads up to the pong or the close within the deadline; returns how it is counted. */
    static String exchange(RawWebSocket socket, FuzzFrames.Input input) {
        boolean mayWait = input.description().contains(DECLARED_OVER_THE_LIMIT);
        byte[] probe = ("probe-" + ++probes).getBytes(StandardCharsets.UTF_8);
        boolean written = true;
        try {
            socket.write(input.bytes());
            socket.write(RawWebSocket.clientFrame(0x89, probe));
        } catch (UncheckedIOException closedMidway) {
            written = false; // the server refused and closed before the client finished: its close frame may be there
        }
        long deadline = System.nanoTime() + (mayWait ? DECLARED_PATIENCE : FrameVerdict.ANSWER_TIMEOUT).toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0 && mayWait) {
                return "tolerated declared-length-waited-for (Tyrus)";
            }
            if (left <= 0) {
                throw new AssertionError("no pong to the probe and no close within " + FrameVerdict.ANSWER_TIMEOUT
                        + " (a hang), after: " + input);
            }
            Optional<RawWebSocket.Frame> frame;
            try {
                frame = socket.nextFrame(Duration.ofNanos(left));
            } catch (AssertionError silence) {
                if (mayWait) {
                    return "tolerated declared-length-waited-for (Tyrus)";
                }
                throw new AssertionError("no pong to the probe and no close within " + FrameVerdict.ANSWER_TIMEOUT
                        + " (a hang), after: " + input, silence);
            }
            if (frame.isEmpty()) {
                if (!written) {
                    return "reset while the client wrote";
                }
                throw new AssertionError("the server ended the connection without a close frame, after: " + input);
            }
            RawWebSocket.Frame f = frame.get();
            switch (f.opcode()) {
                case RawWebSocket.Frame.PONG -> {
                    if (Arrays.equals(f.payload(), probe)) {
                        return "taken (pong)";
                    }
                }
                case RawWebSocket.Frame.CLOSE -> {
                    int code = f.closeCode();
                    boolean echo = input.sendsClose() && (code == 1000 || code == 1005);
                    if (!FrameVerdict.REFUSALS.contains(code) && !echo) {
                        throw new AssertionError("close " + f + " after: " + input);
                    }
                    FuzzVerdict.leakCheck("close reason after " + input, f.toString());
                    return "close " + code;
                }
                case RawWebSocket.Frame.TEXT -> FuzzVerdict.leakCheck("text frame after " + input, f.text());
                case RawWebSocket.Frame.PING -> {
                    try {
                        socket.write(RawWebSocket.clientFrame(0x8A, f.payload()));
                    } catch (UncheckedIOException closing) {
                        written = false;
                    }
                }
                default -> throw new AssertionError("an unexpected frame from the server: " + f + ", after: " + input);
            }
        }
    }
}
