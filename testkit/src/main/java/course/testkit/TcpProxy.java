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
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of a server under test, for what a test cannot otherwise do: count the
 * real bytes on the wire (headers and framing included), cut every connection at once, the way a
 * network failure or a crashed server would, and, when started {@link #recording}, keep what each
 * connection carried, to show what a browser does not tell (the cookie a refused handshake carried).
 */
public final class TcpProxy implements AutoCloseable {

    /** How much of each direction of a connection a recording proxy keeps. */
    private static final int KEPT_BYTES = 64 * 1024;

    /** One connection through a recording proxy: what the client sent, and what the server answered. */
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
    private final boolean recording;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private volatile boolean accepting = true;
    private final Object holdLock = new Object();
    private boolean holding;

    private TcpProxy(InetSocketAddress target, boolean recording) throws IOException {
        this.target = target;
        this.recording = recording;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a proxy on a free loopback port that forwards to {@code host:port}. */
    public static TcpProxy to(String host, int port) {
        return start(host, port, false);
    }

    /** As {@link #to}, keeping the first 64 KiB each way of every connection: see {@link #exchanges()}. */
    public static TcpProxy recording(String host, int port) {
        return start(host, port, true);
    }

    private static TcpProxy start(String host, int port, boolean recording) {
        try {
            return new TcpProxy(new InetSocketAddress(host, port), recording);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every connection so far, in the order they arrived; empty unless started {@link #recording}. */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Bytes sent from clients to the server so far. */
    public long bytesUp() {
        return bytesUp.get();
    }

    /** Bytes sent from the server to clients so far. */
    public long bytesDown() {
        return bytesDown.get();
    }

    public void resetCounters() {
        bytesUp.set(0);
        bytesDown.set(0);
    }

    /** Cuts every open connection, both sides, without a close handshake; new connections are still accepted. */
    public void severAll() {
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    /** While refusing, new connections are closed as soon as they arrive: the server looks down. */
    public void refuseNewConnections(boolean refuse) {
        accepting = !refuse;
    }

    /**
     * While holding, what clients send is neither read nor passed on: once the socket buffers are full their writes
     * block, as when a server stops reading a connection (RabbitMQ's flow control does). Answers still flow back.
     */
    public void holdClientBytes(boolean hold) {
        synchronized (holdLock) {
            holding = hold;
            holdLock.notifyAll();
        }
    }

    private void awaitRelease() throws InterruptedException {
        synchronized (holdLock) {
            while (holding) {
                holdLock.wait();
            }
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (!accepting) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(target, 5_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                Exchange exchange = recording ? new Exchange(new ByteArrayOutputStream(), new ByteArrayOutputStream()) : null;
                if (exchange != null) {
                    exchanges.add(exchange);
                }
                pump(client, upstream, bytesUp, exchange == null ? null : exchange.sent(), true);
                pump(upstream, client, bytesDown, exchange == null ? null : exchange.received(), false);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    continue; // one failed connection must not stop the proxy
                }
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicLong counter, ByteArrayOutputStream record, boolean fromClient) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    if (fromClient) {
                        awaitRelease(); // what was read waits too: a held connection passes nothing on
                    }
                    if (record != null) {
                        synchronized (record) {
                            record.write(buffer, 0, Math.max(0, Math.min(n, KEPT_BYTES - record.size())));
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                    counter.addAndGet(n);
                }
            } catch (SocketException closed) {
                // severed or closed by either side
            } catch (IOException e) {
                // the same: the pair is torn down below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // a daemon thread: the pair is torn down below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-pump");
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
        holdClientBytes(false);
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        severAll();
    }
}
