package shop.chat;

import course.testkit.LatencyRecorder;
import course.testkit.SendTimes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A chat member for the experiments, written straight onto a {@code java.nio} socket so that thousands of them in
 * the test JVM cost little next to the server they measure: RFC 6455's handshake and framing by hand, the frames'
 * bytes scanned where they were read (no text decoding, no JSON parsing), reading done by a few {@link NioReaders}
 * threads for all members. It keeps the books: when each numbered test message ({@code "seq-42"}) arrived, its size,
 * duplicates, errors, presence frames, the server's pings (each answered with a pong, as every client must) and how
 * the connection ended.
 *
 * <p>Measured with {@code -Dexperiment.profile=true} at 1,000 members: a JDK {@code HttpClient} WebSocket cost the
 * test JVM about as much CPU per frame received as the server spent sending it (half of it in the client's own
 * reading machinery, two read calls and a re-registration with its selector per frame).
 */
final class NioMember implements RoomSenders.Speaker, AutoCloseable {

    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final byte[] MESSAGE = ascii("{\"type\":\"message\"");
    private static final byte[] PRESENCE = ascii("{\"type\":\"presence\"");
    private static final byte[] ERROR = ascii("{\"type\":\"error\"");
    static final String TEXT_PREFIX = "seq-";
    private static final byte[] TEXT_FIELD = ascii("\"text\":\"" + TEXT_PREFIX);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SocketChannel channel;
    private final SendTimes sendTimes;
    private final LatencyRecorder latencies;
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason;
    /** Sends (the test thread's {@code say}, the reader's pongs) write whole frames, one at a time. */
    private final Object writeLock = new Object();
    // Everything below is touched under this member's monitor: by its reader thread, and read by the test.
    private final BitSet received = new BitSet();
    /** Bytes of a frame that a read cut short, waiting for the rest; null when no frame is half-read. */
    private ByteBuffer partial;
    /** When the first byte of the half-read frame arrived. */
    private long partialSinceNanos;
    /** A text message sent in fragments (RFC 6455 section 5.4), collected until its last fragment; null if none. */
    private ByteBuffer fragments;
    private long fragmentsSinceNanos;
    private int duplicates;
    private int messages;
    private long messageChars;
    private int presenceFrames;
    private long presenceChars;
    private long lastPresenceNanos;
    private int pings;
    private int errors;
    private String lastError;
    private Throwable failure;

    private NioMember(SocketChannel channel, SendTimes sendTimes, LatencyRecorder latencies) {
        this.channel = channel;
        this.sendTimes = sendTimes;
        this.latencies = latencies;
    }

    /**
     * Opens {@code room} with a signed-in session and a same-site Origin, as a browser would, on {@code handshakes}
     * (the handshake blocks); then the member's socket is read by {@code readers}.
     */
    static CompletableFuture<NioMember> join(ExecutorService handshakes, NioReaders readers, URI room, String cookie,
                                             String origin, SendTimes sendTimes, LatencyRecorder latencies) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress(room.getHost(), room.getPort()));
                channel.socket().setTcpNoDelay(true);
                NioMember member = new NioMember(channel, sendTimes, latencies);
                ByteBuffer afterHead = member.handshake(room, cookie, origin);
                channel.configureBlocking(false);
                member.onBytes(afterHead, System.nanoTime()); // the server may send its first frames with the 101
                readers.register(member);
                return member;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, handshakes);
    }

    /** Sends the upgrade request, checks the 101 and its accept key, and returns the bytes that came after its head. */
    private ByteBuffer handshake(URI room, String cookie, String origin) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String request = "GET " + room.getRawPath() + (room.getRawQuery() == null ? "" : "?" + room.getRawQuery())
                + " HTTP/1.1\r\nHost: " + room.getHost() + ":" + room.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key
                + "\r\nCookie: " + cookie + "\r\nOrigin: " + origin + "\r\n\r\n";
        writeFully(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
        ByteBuffer in = ByteBuffer.allocate(8192);
        int headEnd;
        while ((headEnd = headEnd(in)) < 0) {
            if (!in.hasRemaining() || channel.read(in) < 0) {
                throw new IOException("the server ended the handshake without a complete answer: "
                        + new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1));
            }
        }
        String head = new String(in.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head.lines().findFirst().orElse(""));
        }
        String accept = Base64.getEncoder().encodeToString(sha1(key + WEBSOCKET_GUID));
        if (head.lines().noneMatch(line -> line.equalsIgnoreCase("Sec-WebSocket-Accept: " + accept))) {
            throw new IOException("the 101 does not accept our key (" + accept + "): " + head);
        }
        in.flip().position(headEnd);
        return in.slice();
    }

    /** The index just past the {@code \r\n\r\n} that ends the HTTP head read so far, or -1. */
    private static int headEnd(ByteBuffer in) {
        byte[] bytes = in.array();
        for (int i = 3; i < in.position(); i++) {
            if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    void registerWith(Selector selector) {
        try {
            channel.register(selector, SelectionKey.OP_READ, this);
        } catch (ClosedChannelException e) {
            ended(1006, "closed before its reader started");
        }
    }

    /** Called by this member's reader thread when its socket has bytes: reads once, then parses what came. */
    void onReadable(ByteBuffer buffer, long nowNanos) {
        buffer.clear();
        int read;
        try {
            read = channel.read(buffer);
        } catch (IOException e) {
            ended(1006, String.valueOf(e));
            close();
            return;
        }
        if (read < 0) {
            ended(1006, "the server closed the TCP connection without a close frame");
            close();
            return;
        }
        onBytes(buffer.flip(), nowNanos);
    }

    /** Parses every whole frame in {@code bytes} (after any half-read frame before them) and keeps the rest. */
    private synchronized void onBytes(ByteBuffer bytes, long nowNanos) {
        try {
            ByteBuffer data = bytes;
            long firstByteNanos = nowNanos;
            if (partial != null) {
                data = append(partial, bytes).flip();
                firstByteNanos = partialSinceNanos;
                partial = null;
            }
            while (data.hasRemaining()) {
                int frameLength = frameLength(data);
                if (frameLength < 0 || data.remaining() < frameLength) {
                    partial = append(ByteBuffer.allocate(Math.max(data.remaining(), 256)), data);
                    partialSinceNanos = firstByteNanos;
                    return;
                }
                onFrame(data, firstByteNanos);
                firstByteNanos = nowNanos; // every later frame in this read began to arrive with this read
            }
        } catch (RuntimeException e) {
            failure = e; // rethrown on the test thread by assertHealthy()
        }
    }

    /** The whole frame's length (header and payload) if its header has arrived, else -1. */
    private static int frameLength(ByteBuffer data) {
        if (data.remaining() < 2) {
            return -1;
        }
        int at = data.position();
        int length = data.get(at + 1) & 0x7F;
        if ((data.get(at + 1) & 0x80) != 0) {
            throw new IllegalStateException("the server masked a frame (RFC 6455 section 5.1 forbids it)");
        }
        if (length == 126) {
            return data.remaining() < 4 ? -1 : 4 + (data.getShort(at + 2) & 0xFFFF);
        }
        if (length == 127) {
            return data.remaining() < 10 ? -1 : Math.toIntExact(10 + data.getLong(at + 2));
        }
        return 2 + length;
    }

    /** Handles the whole frame at {@code data}'s position and moves past it. */
    private void onFrame(ByteBuffer data, long firstByteNanos) {
        int at = data.position();
        int frameLength = frameLength(data);
        boolean fin = (data.get(at) & 0x80) != 0;
        int opcode = data.get(at) & 0x0F;
        int lengthCode = data.get(at + 1) & 0x7F;
        int header = lengthCode == 126 ? 4 : lengthCode == 127 ? 10 : 2;
        ByteBuffer payload = data.slice(at + header, frameLength - header);
        data.position(at + frameLength);
        switch (opcode) {
            case TEXT -> {
                if (fin) {
                    onText(payload, firstByteNanos);
                } else {
                    fragments = append(ByteBuffer.allocate(payload.remaining() * 2), payload);
                    fragmentsSinceNanos = firstByteNanos;
                }
            }
            case 0x0 -> { // a continuation of a fragmented text message
                fragments = append(fragments, payload);
                if (fin) {
                    ByteBuffer whole = fragments.flip();
                    fragments = null;
                    onText(whole, fragmentsSinceNanos);
                }
            }
            case PING -> {
                pings++;
                sendFrame(0xA, bytesOf(payload)); // a pong with the ping's payload, as RFC 6455 section 5.5.3 asks
            }
            case CLOSE -> {
                byte[] body = bytesOf(payload);
                int code = body.length >= 2 ? ((body[0] & 0xFF) << 8) | (body[1] & 0xFF) : 1005;
                ended(code, body.length > 2 ? new String(body, 2, body.length - 2, StandardCharsets.UTF_8) : "");
                close();
            }
            case BINARY -> {
                errors++;
                lastError = "unexpected binary frame";
            }
            default -> { } // a pong: the server answers no pings of ours
        }
    }

    /** A whole text message: a numbered test message, a presence frame or an error, told apart by its first bytes. */
    private void onText(ByteBuffer text, long firstByteNanos) {
        if (startsWith(text, PRESENCE)) {
            presenceFrames++; // a joiner's frame holds the whole online list: count them, never keep them
            presenceChars += text.remaining(); // the chat's presence JSON is ASCII here: bytes are characters
            lastPresenceNanos = firstByteNanos;
        } else if (startsWith(text, MESSAGE)) {
            int at = indexOf(text, TEXT_FIELD);
            if (at < 0) {
                return; // not one of the experiment's numbered messages
            }
            messages++;
            messageChars += text.remaining(); // ASCII here: bytes are characters
            int seq = 0;
            for (int i = at + TEXT_FIELD.length; text.get(i) != '"'; i++) {
                int digit = text.get(i) - '0';
                if (digit < 0 || digit > 9) {
                    throw new IllegalStateException("a test message whose number is not a number: " + string(text));
                }
                seq = seq * 10 + digit;
            }
            if (received.get(seq)) {
                duplicates++;
            } else {
                received.set(seq);
                latencies.record(sendTimes.latency(seq, firstByteNanos));
            }
        } else if (startsWith(text, ERROR)) {
            errors++;
            lastError = string(text);
        }
    }

    @Override
    public void say(int seq) {
        sendTimes.markSent(seq);
        sendFrame(TEXT, ascii("{\"type\":\"say\",\"text\":\"" + TEXT_PREFIX + seq + "\"}"));
    }

    /** Writes one whole, masked client frame (RFC 6455 section 5.3); payloads here are under 126 bytes. */
    private void sendFrame(int opcode, byte[] payload) {
        if (payload.length > 125) {
            throw new IllegalArgumentException("a frame of " + payload.length + " bytes: this client sends small ones only");
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        ByteBuffer frame = ByteBuffer.allocate(6 + payload.length).put((byte) (0x80 | opcode))
                .put((byte) (0x80 | payload.length)).put(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ mask[i % 4]));
        }
        try {
            writeFully(frame.flip());
        } catch (IOException e) {
            throw new UncheckedIOException("could not send to the chat", e);
        }
    }

    /** Writes all of {@code bytes}; a non-blocking socket takes them as its send buffer frees up, within 10 s. */
    private void writeFully(ByteBuffer bytes) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (writeLock) {
            while (bytes.hasRemaining()) {
                if (channel.write(bytes) == 0) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IOException("the socket took no bytes for 10 s");
                    }
                    Thread.onSpinWait();
                }
            }
        }
    }

    private void ended(int code, String reason) {
        if (!closed.isDone()) {
            closeReason = code + " " + reason;
            closed.complete(code);
        }
    }

    synchronized int distinctReceived() {
        return received.cardinality();
    }

    synchronized int duplicates() {
        return duplicates;
    }

    synchronized int presenceFrames() {
        return presenceFrames;
    }

    /** Characters of presence frames received: the cost of telling everyone who is online. */
    synchronized long presenceChars() {
        return presenceChars;
    }

    /** When the latest presence frame began to arrive (System.nanoTime), or 0 before the first. */
    synchronized long lastPresenceNanos() {
        return lastPresenceNanos;
    }

    /** Heartbeat pings received from the server (each answered with a pong). */
    synchronized int pings() {
        return pings;
    }

    synchronized int errors() {
        return errors;
    }

    synchronized String lastError() {
        return lastError;
    }

    /** Average size of a received numbered message's JSON text (ASCII here, so characters are bytes). */
    synchronized double averageMessageChars() {
        return messages == 0 ? 0 : (double) messageChars / messages;
    }

    /** The close code if the connection has ended, or -1 while it is open. */
    int closeCode() {
        return closed.getNow(-1);
    }

    /** The close code and reason, for example {@code "1001 No answer to ping."}; null while open. */
    String closeReason() {
        return closeReason;
    }

    /** True once the member has every message numbered below {@code total}, or can get no more. */
    boolean isDone(int total) {
        return closeCode() != -1 || distinctReceived() >= total;
    }

    /** Fails the test if parsing what this member received failed. */
    synchronized void assertHealthy() {
        if (failure != null) {
            throw new AssertionError("a member could not read what the server sent", failure);
        }
    }

    /**
     * Drops the connection without a close handshake. On purpose: a polite close of every member makes the server
     * tell each remaining member who left, N² presence frames that are no part of the measurement.
     */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteBuffer append(ByteBuffer to, ByteBuffer from) {
        if (to.remaining() < from.remaining()) {
            to = ByteBuffer.allocate(Math.max(to.capacity() * 2, to.position() + from.remaining())).put(to.flip());
        }
        return to.put(from);
    }

    private static boolean startsWith(ByteBuffer text, byte[] prefix) {
        if (text.remaining() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (text.get(text.position() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The absolute index of {@code pattern} in {@code text}, or -1. */
    private static int indexOf(ByteBuffer text, byte[] pattern) {
        int last = text.limit() - pattern.length;
        for (int i = text.position(); i <= last; i++) {
            int j = 0;
            while (j < pattern.length && text.get(i + j) == pattern[j]) {
                j++;
            }
            if (j == pattern.length) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] bytesOf(ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return bytes;
    }

    private static String string(ByteBuffer text) {
        return new String(bytesOf(text), StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] sha1(String text) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
