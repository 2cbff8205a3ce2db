package course.testkit;

import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.io.IOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link Browser} for all the tests of a class, launched before the first and closed after the last:
 * {@code @RegisterExtension static final ClassBrowser browser = new ClassBrowser(15_000);}
 */
public final class ClassBrowser implements BeforeAllCallback, AfterAllCallback {

    private final long assertionTimeoutMs;
    private Browser browser;

    /** Keeps Playwright's default assertion timeout. */
    public ClassBrowser() {
        this(0);
    }

    /**
     * @param assertionTimeoutMs Playwright's default assertion timeout for the class: generous but bounded, as other
     *                           builds may share the machine's cores
     */
    public ClassBrowser(long assertionTimeoutMs) {
        this.assertionTimeoutMs = assertionTimeoutMs;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (assertionTimeoutMs > 0) {
            PlaywrightAssertions.setDefaultAssertionTimeout(assertionTimeoutMs);
        }
        browser = Browser.launch();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    /** The class's browser; only while its tests run. */
    public Browser get() {
        if (browser == null) {
            throw new IllegalStateException("No browser: register this as a static @RegisterExtension field");
        }
        return browser;
    }

    /** See {@link Browser#open}. */
    public BrowserPage open(String url) {
        return get().open(url);
    }

    /** See {@link Browser#openOnAnotherSite}. */
    public BrowserPage openOnAnotherSite() throws IOException {
        return get().openOnAnotherSite();
    }
}
