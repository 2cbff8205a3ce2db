package course.slides;

import com.microsoft.playwright.Page;
import course.testkit.Browser;
import course.testkit.BrowserPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The built deck (target/deck/index.html), opened from the file system the way an instructor opens it. */
final class Deck {

    /** reveal.js's own bounded wait for a condition in the page; other builds share this machine's two cores. */
    static final double WAIT_MILLIS = 30_000;

    private Deck() {
    }

    static Path dir() {
        return Path.of(System.getProperty("deck.dir", "target/deck"));
    }

    static String url() {
        Path index = dir().resolve("index.html").toAbsolutePath();
        if (!Files.isRegularFile(index)) {
            throw new IllegalStateException(index + " does not exist: build the deck first (mvn -pl slides -am verify does).");
        }
        return index.toUri().toString();
    }

    /** A page that recorded every request it made, from the very first one. */
    record Opened(BrowserPage page, List<String> requests) {
    }

    /**
     * Opens the deck, with {@code query} appended to its URL and every request recorded, and waits until reveal.js is ready, every web font
     * has loaded and every image (the diagrams) has finished loading, successfully or not.
     */
    static Opened open(Browser browser, String query) {
        BrowserPage page = browser.open("about:blank");
        List<String> requests = new CopyOnWriteArrayList<>();
        page.page().onRequest(request -> requests.add(request.url()));
        page.page().navigate(url() + query);
        page.page().waitForFunction("() => window.Reveal && Reveal.isReady()", null,
                new Page.WaitForFunctionOptions().setTimeout(WAIT_MILLIS));
        page.page().waitForFunction("() => document.fonts.status === 'loaded'"
                        + " && Array.from(document.images).every(image => image.complete)", null,
                new Page.WaitForFunctionOptions().setTimeout(WAIT_MILLIS));
        return new Opened(page, requests);
    }
}
