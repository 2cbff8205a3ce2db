package shop.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few threads that read every {@link NioMember}'s socket in the fan-out experiment: one {@link Selector} each,
 * the members dealt out to them in turn. A thread wakes when any of its sockets has bytes, reads each ready socket
 * once into one shared buffer, and hands the bytes to that member to parse; so receiving a frame costs the
 * experiment's JVM one read system call and a byte scan, not a JDK HttpClient's per-socket tasks and copies.
 */
final class NioReaders implements AutoCloseable {

    /** Enough for many frames at once; a larger backlog is read in several turns of the loop. */
    private static final int READ_BUFFER = 256 * 1024;

    private final List<Reader> readers = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    NioReaders(int threads) {
        for (int i = 0; i < threads; i++) {
            Reader reader = new Reader("nio-reader-" + i);
            readers.add(reader);
            reader.thread.start();
        }
    }

    int threads() {
        return readers.size();
    }

    /** Starts reading a member's socket (already non-blocking and past its handshake) on the next thread in turn. */
    void register(NioMember member) {
        Reader reader = readers.get(Math.floorMod(next.getAndIncrement(), readers.size()));
        reader.registrations.add(member);
        reader.selector.wakeup();
    }

    @Override
    public void close() {
        for (Reader reader : readers) {
            reader.thread.interrupt();
            reader.selector.wakeup();
        }
        for (Reader reader : readers) {
            try {
                reader.thread.join(10_000);
                reader.selector.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One selector thread. */
    private static final class Reader implements Runnable {

        private final Selector selector;
        private final Queue<NioMember> registrations = new ConcurrentLinkedQueue<>();
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER);
        private final Thread thread;

        Reader(String name) {
            try {
                selector = Selector.open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    // select(action) hands over each ready key as it is found: no set of selected keys to fill and clear
                    selector.select(key -> {
                        if (key.isValid() && key.isReadable()) {
                            ((NioMember) key.attachment()).onReadable(buffer, System.nanoTime());
                        }
                    });
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                for (NioMember member = registrations.poll(); member != null; member = registrations.poll()) {
                    member.registerWith(selector);
                }
            }
        }
    }
}
