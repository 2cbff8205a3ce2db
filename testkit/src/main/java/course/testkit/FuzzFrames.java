package course.testkit;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Generates what a client writes on an open WebSocket, from a fuzzer's bytes: one to three frames, each either a
 * text frame of JSON built from the endpoint's field names ({@link FuzzJson}), or a frame no browser sends: binary,
 * invalid UTF-8, fragmented (and continuations without a start), an unknown opcode, reserved bits set, unmasked, a
 * control frame too long or fragmented, a close frame with a bad code, a text or binary frame over the endpoint's
 * limit. Every frame carries all the bytes its header declares (a server must wait for them: Tyrus buffers a frame
 * up to its incoming buffer, 4 MB by default, before refusing it), so silence is always the server's.
 *
 * <p>Usage: {@code FuzzFrames.Input input = new FuzzFrames(List.of("type", "text"), List.of("say"), 64 * 1024).next(data);}
 * then {@link FrameVerdict#exchange(RawWebSocket, FuzzFrames.Input)}.
 */
public final class FuzzFrames {

    /** The bytes to write, and whether they hold a close frame (then a close 1000 is a correct answer). */
    public record Input(byte[] bytes, String description, boolean sendsClose) {
        @Override
        public String toString() {
            return description;
        }
    }

    private final List<String> fields;
    private final List<String> types;
    private final int maxMessageBytes;

    /**
     * @param fields the field names the endpoint's JSON frames carry
     * @param types the values of their {@code "type"} field the endpoint knows
     * @param maxMessageBytes the endpoint's message size limit
     */
    public FuzzFrames(List<String> fields, List<String> types, int maxMessageBytes) {
        this.fields = List.copyOf(fields);
        this.types = List.copyOf(types);
        this.maxMessageBytes = maxMessageBytes;
    }

    public Input next(FuzzedDataProvider data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringBuilder description = new StringBuilder();
        boolean close = false;
        int count = data.consumeInt(1, 3);
        for (int i = 0; i < count; i++) {
            int kind = data.consumeInt(0, 15);
            close |= kind == 11;
            description.append(i > 0 ? " + " : "").append(frame(data, kind, bytes));
        }
        return new Input(bytes.toByteArray(), description.toString(), close);
    }

    private String frame(FuzzedDataProvider data, int kind, ByteArrayOutputStream out) {
        switch (kind) {
            case 1 -> {
                out.writeBytes(RawWebSocket.clientFrame(0x82, data.consumeBytes(200)));
                return "binary";
            }
            case 2 -> {
                byte[] text = json(data).getBytes(StandardCharsets.UTF_8);
                byte[] bad = new byte[text.length + 2];
                System.arraycopy(text, 0, bad, 0, text.length);
                bad[text.length] = (byte) 0xC3;
                bad[text.length + 1] = (byte) (int) data.pickValue(List.of(0x28, 0xFF, 0x00));
                out.writeBytes(RawWebSocket.clientFrame(0x81, bad));
                return "text with invalid UTF-8";
            }
            case 3 -> {
                byte[] text = json(data).getBytes(StandardCharsets.UTF_8);
                int cut = data.consumeInt(0, text.length);
                out.writeBytes(RawWebSocket.clientFrame(0x01, java.util.Arrays.copyOfRange(text, 0, cut)));
                boolean finish = data.consumeBoolean();
                out.writeBytes(RawWebSocket.clientFrame(finish ? 0x80 : 0x00, java.util.Arrays.copyOfRange(text, cut, text.length)));
                return finish ? "text in two fragments" : "text fragments left unfinished";
            }
            case 4 -> {
                out.writeBytes(RawWebSocket.clientFrame(data.consumeBoolean() ? 0x80 : 0x00, data.consumeBytes(20)));
                return "continuation without a start";
            }
            case 5 -> {
                int opcode = data.pickValue(List.of(0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF));
                out.writeBytes(RawWebSocket.clientFrame(0x80 | opcode, data.consumeBytes(20)));
                return "unknown opcode " + opcode;
            }
            case 6 -> {
                int rsv = data.pickValue(List.of(0x40, 0x20, 0x10));
                out.writeBytes(RawWebSocket.clientFrame(0x81 | rsv, json(data).getBytes(StandardCharsets.UTF_8)));
                return "reserved bit " + Integer.toHexString(rsv);
            }
            case 7 -> {
                byte[] text = "{\"type\":\"say\",\"text\":\"unmasked\"}".getBytes(StandardCharsets.UTF_8);
                out.write(0x81);
                out.write(text.length);
                out.writeBytes(text);
                return "unmasked text";
            }
            case 8 -> {
                out.writeBytes(RawWebSocket.clientFrame(0x89, new byte[data.consumeInt(126, 300)]));
                return "ping over 125 bytes";
            }
            case 9 -> {
                out.writeBytes(RawWebSocket.clientFrame(0x09, new byte[4]));
                return "fragmented ping";
            }
            case 10 -> {
                out.writeBytes(RawWebSocket.clientFrame(0x82, new byte[maxMessageBytes + data.consumeInt(1, 1024)]));
                return "binary over the limit";
            }
            case 11 -> {
                int code = data.pickValue(List.of(1000, 999, 1004, 1005, 1006, 1015, 2999, 5000, 65535, 1001));
                byte[] reason = data.consumeBoolean() ? new byte[] {(byte) 0xC3, 0x28} : "bye".getBytes(StandardCharsets.UTF_8);
                byte[] payload = new byte[2 + reason.length];
                payload[0] = (byte) (code >> 8);
                payload[1] = (byte) code;
                System.arraycopy(reason, 0, payload, 2, reason.length);
                out.writeBytes(RawWebSocket.clientFrame(0x88, data.consumeInt(0, 5) == 0 ? new byte[] {3} : payload));
                return "close " + code;
            }
            case 12 -> {
                out.writeBytes(RawWebSocket.clientFrame(0x81, new byte[maxMessageBytes + data.consumeInt(1, 1024)]));
                return "text over the limit";
            }
            default -> {
                String json = json(data);
                out.writeBytes(RawWebSocket.clientFrame(0x81, json.getBytes(StandardCharsets.UTF_8)));
                return "text " + (json.length() > 200 ? json.substring(0, 200) + "... (" + json.length() + " chars)" : json);
            }
        }
    }

    /** A frame's JSON: mostly an object with a known {@code type}; sometimes any JSON value, or none. */
    private String json(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 5)) {
            case 0 -> FuzzJson.value(data, fields, 0);
            case 1 -> FuzzJson.object(data, fields);
            default -> {
                String rest = FuzzJson.object(data, fields);
                String type = "\"type\":" + (data.consumeInt(0, 4) == 0 ? FuzzJson.value(data, fields, 3)
                        : FuzzJson.string(types.isEmpty() ? "x" : data.pickValue(types)));
                yield "{" + type + (rest.length() > 2 ? "," + rest.substring(1) : "}");
            }
        };
    }
}
