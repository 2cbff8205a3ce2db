package course.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of a server under test, for two things a test cannot otherwise do:
 * count the real bytes on the wire (headers and framing included), and cut every connection at once,
 * the way a network failure or a crashed server would.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private volatile boolean accepting = true;

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a proxy on a free loopback port that forwards to {@code host:port}. */
    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
                pump(client, upstream, bytesUp);
                pump(upstream, client, bytesDown);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    continue; // one failed connection must not stop the proxy
                }
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicLong counter) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    out.write(buffer, 0, n);
                    out.flush();
                    counter.addAndGet(n);
                }
            } catch (SocketException closed) {
                // severed or closed by either side
            } catch (IOException e) {
                // the same: the pair is torn down below
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
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        severAll();
    }
}
