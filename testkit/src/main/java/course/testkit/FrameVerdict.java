package course.testkit;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Sends generated WebSocket input and judges how the server takes it. After the input the client sends a ping
 * whose payload is unique; the exchange ends at that ping's pong (the server took the input and lives: what it sent
 * before, error frames included, is judged) or at the server's close frame. Acceptable: text frames without a stack
 * trace, and the close codes of refused input (1002 protocol error, 1003 unacceptable data, 1007 invalid payload,
 * 1008 policy, 1009 too big, 1013 try again later; 1000/1001/1005 only to a client's own close). Never 1011, never a
 * connection ended without a close frame, never silence (a hang). A reset is counted apart ("reset"): the server
 * closed with the client's later bytes unread, and TCP then drops what the server had sent, its close frame too; so
 * after an input that holds a close frame (the probe always follows it), an end without a close frame is a reset.
 *
 * <p>The whole exchange has one deadline, {@link #ANSWER_TIMEOUT}, not each frame: an endpoint that pushes on its
 * own (a dashboard's snapshot twice a second) would otherwise keep a server that never answers the probe waited for
 * without end. The WebSocket container's known defects ({@link ContainerDefects#FRAMES}) are counted apart, and the
 * inputs it {@link ContainerDefects#keptOut keeps out} are counted, not sent.
 */
public final class FrameVerdict {

    /** The close codes a server answers refused input with. */
    public static final Set<Integer> REFUSALS = Set.of(1002, 1003, 1007, 1008, 1009, 1013);
    /** How long the server has for the whole exchange: far over its usual milliseconds, well under a fuzz run. */
    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private static long probes;

    private FrameVerdict() {
    }

    /** Writes the input and the probe on {@code socket}, reads up to the pong or the close; returns how it is counted. */
    public static String exchange(RawWebSocket socket, FuzzFrames.Input input) {
        if (ContainerDefects.keptOut(input)) {
            return ContainerDefects.DECLARED_OVER_THE_LIMIT_NOT_SENT;
        }
        byte[] probe = ("probe-" + ++probes).getBytes(StandardCharsets.UTF_8);
        boolean written = true;
        try {
            socket.write(input.bytes());
            socket.write(RawWebSocket.clientFrame(0x89, probe));
        } catch (UncheckedIOException closedMidway) {
            written = false; // the server refused and closed before the client finished: its close frame may be there
        }
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        int errorFrames = 0;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no pong to the probe and no close within " + ANSWER_TIMEOUT
                        + " (a hang), after: " + input);
            }
            Optional<RawWebSocket.Frame> frame;
            try {
                frame = socket.nextFrame(Duration.ofNanos(left));
            } catch (AssertionError silence) {
                throw new AssertionError(silence.getMessage() + ", after: " + input, silence);
            } catch (UncheckedIOException reset) {
                return "reset (closed with the client's bytes unread)";
            }
            if (frame.isEmpty()) {
                if (!written) {
                    return "reset (closed while the client wrote)";
                }
                if (input.sendsClose()) {
                    // The server echoed the client's close and closed; the probe (or a frame after the close) reached
                    // a closed socket, whose reset made this client's kernel drop the echo it had not read yet: the
                    // reader sees only the end. Seen once in 04's fuzzing (close 1000, then the probe).
                    return "reset (closed after the client's close, with its later bytes unread)";
                }
                throw new AssertionError("the server ended the connection without a close frame, after: " + input);
            }
            RawWebSocket.Frame f = frame.get();
            Optional<ContainerDefects.FrameDefect> defect = ContainerDefects.matching(f);
            if (defect.isPresent()) {
                return "tolerated " + defect.get().name() + " (" + defect.get().upstream() + ")";
            }
            switch (f.opcode()) {
                case RawWebSocket.Frame.PONG -> {
                    if (java.util.Arrays.equals(f.payload(), probe)) {
                        return errorFrames > 0 ? "error frame" : "taken (pong)";
                    }
                }
                case RawWebSocket.Frame.CLOSE -> {
                    int code = f.closeCode();
                    boolean echo = input.sendsClose() && (code == 1000 || code == 1001 || code == 1005);
                    if (!REFUSALS.contains(code) && !echo) {
                        throw new AssertionError("close " + f + " after: " + input);
                    }
                    FuzzVerdict.leakCheck("close reason after " + input, f.toString());
                    return "close " + code;
                }
                case RawWebSocket.Frame.TEXT -> {
                    FuzzVerdict.leakCheck("text frame after " + input, f.text());
                    errorFrames += f.text().contains("\"error\"") ? 1 : 0;
                }
                case RawWebSocket.Frame.PING -> {
                    try {
                        socket.write(RawWebSocket.clientFrame(0x8A, f.payload())); // the heartbeat: answered, as a browser does
                    } catch (UncheckedIOException closing) {
                        written = false;
                    }
                }
                default -> throw new AssertionError("an unexpected frame from the server: " + f + ", after: " + input);
            }
        }
    }
}
