package shop.chat;

/**
 * A workaround, not part of the lesson: keeps each WebSocket send cheap on this module's server (Payara Micro
 * 7.2025.1, whose WebSocket implementation is Tyrus 2.2.0).
 *
 * <p>Tyrus restarts a session's idle timer at every send, by handing a task to the container's managed
 * scheduler, and Payara's scheduler looks up the thread-context providers for every task it is given: a
 * {@code ServiceLoader} scan, through the thread's context class loader, of every jar the server has. Measured
 * with {@code FanOutExperiment -Dexperiment.profile=true} at 1,000 members: that scan was two thirds of the
 * server's CPU, the socket writes a sixth. Sending with the JDK's platform class loader as the context class
 * loader leaves the scan only the JDK to look at. Nothing else in a send needs the application's class loader:
 * the timer task only closes a session that has an idle timeout, and this chat sets none ({@link Heartbeat}
 * finds dead peers instead).
 */
final class LeanSends {

    private LeanSends() {
    }

    /** A call on a {@code Session}'s remote endpoint: {@code sendText}, {@code sendPing}. */
    @FunctionalInterface
    interface Send<E extends Exception> {
        void run() throws E;
    }

    /** Runs {@code send} with the platform class loader as the thread's context class loader. */
    static <E extends Exception> void run(Send<E> send) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        try {
            send.run();
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
