package course.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy that keeps what each connection sent and received (its first 64 KiB each way), so a
 * test can show what went over the wire where a browser does not tell: the cookie a refused WebSocket
 * handshake carried, and the server's answer to it.
 */
public final class WireRecorder implements AutoCloseable {

    private static final int KEPT_BYTES = 64 * 1024;

    /** One connection through the recorder: what the client sent, and what the server answered. */
    public record Exchange(ByteArrayOutputStream sent, ByteArrayOutputStream received) {

        /** The bytes the client sent so far, as text (ISO-8859-1, as HTTP headers are). */
        public String request() {
            synchronized (sent) {
                return sent.toString(StandardCharsets.ISO_8859_1);
            }
        }

        /** The bytes the server answered so far, as text. */
        public String response() {
            synchronized (received) {
                return received.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    private WireRecorder(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "wire-recorder-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a recorder on a free loopback port that forwards to {@code host:port}. */
    public static WireRecorder to(String host, int port) {
        try {
            return new WireRecorder(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every connection so far, in the order they arrived. */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(target, 5_000);
                sockets.add(client);
                sockets.add(upstream);
                Exchange exchange = new Exchange(new ByteArrayOutputStream(), new ByteArrayOutputStream());
                exchanges.add(exchange);
                pump(client, upstream, exchange.sent());
                pump(upstream, client, exchange.received());
            } catch (IOException e) {
                if (!server.isClosed()) {
                    continue; // one failed connection must not stop the recorder
                }
            }
        }
    }

    private void pump(Socket from, Socket to, ByteArrayOutputStream record) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    synchronized (record) {
                        record.write(buffer, 0, Math.max(0, Math.min(n, KEPT_BYTES - record.size())));
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException closed) {
                // closed by either side: the pair is torn down below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "wire-recorder-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        sockets.forEach(WireRecorder::closeQuietly);
    }
}
