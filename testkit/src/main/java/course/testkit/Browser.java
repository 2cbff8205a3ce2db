package course.testkit;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real, headless system Chromium driven by Playwright, for tests that use a module the way a learner does:
 * through its page. One browser per test class; each {@link #open} is a new context, so every page is a
 * separate user with its own cookies.
 *
 * <p>Playwright objects belong to the thread that created them: create, use and close this on the test thread
 * (with Awaitility, poll in that thread: {@code await().pollInSameThread()}).
 */
public final class Browser implements AutoCloseable {

    /** Chromium on a machine without internet: no update checks, sync or QUIC probes that fail and fill the logs. */
    private static final List<String> OFFLINE_ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser chromium;
    private final List<BrowserContext> contexts = new ArrayList<>();

    private Browser(Playwright playwright, com.microsoft.playwright.Browser chromium) {
        this.playwright = playwright;
        this.chromium = chromium;
    }

    /** Launches the system Chromium, or fails at once saying how to install it. */
    public static Browser launch() {
        Path executable = findChromium().orElseThrow(() -> new IllegalStateException("No Chromium found"
                + Optional.ofNullable(System.getenv("CHROMIUM_PATH")).map(p -> " (CHROMIUM_PATH=" + p + " is not executable)").orElse("")
                + ": install it (apt-get install chromium on Debian/Ubuntu) or set CHROMIUM_PATH to its executable."));
        // The system browser is used, so Playwright must never try to download its own.
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            return new Browser(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(executable).setHeadless(true).setArgs(OFFLINE_ARGS)));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A new user (fresh cookies) with one page, opened at {@code url}; problems are recorded from the first request. */
    public BrowserPage open(String url) {
        BrowserContext context = chromium.newContext();
        contexts.add(context);
        BrowserPage page = new BrowserPage(context.newPage());
        page.page().navigate(url);
        return page;
    }

    /**
     * A new user with a blank page of another site: a server of the test's own on 127.0.0.1, which is another host,
     * so another origin, than the module's localhost. Not the module's own page: its Content-Security-Policy would
     * stop cross-site requests in the browser, before the server could show that it refuses them. The server is gone
     * once the page has loaded, so what the page sends goes to the module.
     */
    public BrowserPage openOnAnotherSite() throws IOException {
        HttpServer elsewhere = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        elsewhere.createContext("/", exchange -> {
            byte[] html = "<!doctype html><title>another site</title><body></body>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        elsewhere.start();
        try {
            return open("http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/");
        } finally {
            elsewhere.stop(0);
        }
    }

    static Optional<Path> findChromium() {
        String configured = System.getenv("CHROMIUM_PATH");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        Path debian = Path.of("/usr/bin/chromium");
        if (Files.isExecutable(debian)) {
            return Optional.of(debian);
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "chromium")).filter(Files::isExecutable).findFirst();
    }

    @Override
    public void close() {
        contexts.forEach(BrowserContext::close);
        chromium.close();
        playwright.close();
    }
}
