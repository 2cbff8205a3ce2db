package course.testkit;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One browser page plus what went wrong in it: console errors, uncaught script errors and failed requests,
 * so a test can assert that a normal session leaves all three empty. It also records the WebSocket URLs
 * the page opened, in order.
 */
public final class BrowserPage {

    private final Page page;
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    private final List<String> pageErrors = new CopyOnWriteArrayList<>();
    private final List<String> failedRequests = new CopyOnWriteArrayList<>();
    private final List<String> webSocketUrls = new CopyOnWriteArrayList<>();
    private final Set<Request> noContent = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    BrowserPage(Page page) {
        this.page = page;
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                consoleErrors.add(message.text() + " (" + message.location() + ")");
            }
        });
        page.onPageError(pageErrors::add);
        page.onResponse(response -> {
            if (response.status() == 204) {
                noContent.add(response.request());
            }
        });
        page.onRequestFailed(request -> {
            // Chromium reports every answered 204 No Content as "failed, net::ERR_ABORTED": not a failure.
            if (!noContent.remove(request)) {
                failedRequests.add(request.method() + " " + request.url() + ": " + request.failure());
            }
        });
        page.onWebSocket(socket -> webSocketUrls.add(socket.url()));
    }

    public Page page() {
        return page;
    }

    /**
     * From now on, every request but a GET that the page sends to {@code base + "api/"}, with the status it got,
     * as {@code "POST api/tasks 403"}: what a page of another site managed to do.
     */
    public List<String> recordWritesTo(String base) {
        List<String> answers = new CopyOnWriteArrayList<>();
        page.onResponse(r -> {
            if (r.url().startsWith(base + "api/") && !r.request().method().equals("GET")) {
                answers.add(r.request().method() + " " + r.url().substring(base.length()) + " " + r.status());
            }
        });
        return answers;
    }

    /** The element with this {@code data-testid}. */
    public Locator byTestId(String testId) {
        return page.getByTestId(testId);
    }

    public List<String> consoleErrors() {
        return List.copyOf(consoleErrors);
    }

    public List<String> pageErrors() {
        return List.copyOf(pageErrors);
    }

    public List<String> failedRequests() {
        return List.copyOf(failedRequests);
    }

    public List<String> webSocketUrls() {
        return List.copyOf(webSocketUrls);
    }

    /**
     * Fails, listing them all, if the page logged a console error, threw, or had a request fail.
     * A console error that matches one of {@code expectedConsoleErrors} is allowed: the caller names it, and why.
     */
    public void assertNoProblems(Pattern... expectedConsoleErrors) {
        List<String> problems = new ArrayList<>();
        consoleErrors.stream().filter(e -> Stream.of(expectedConsoleErrors).noneMatch(p -> p.matcher(e).matches()))
                .forEach(e -> problems.add("console error: " + e));
        pageErrors.forEach(e -> problems.add("page error: " + e));
        failedRequests.forEach(e -> problems.add("failed request: " + e));
        if (!problems.isEmpty()) {
            throw new AssertionError(page.url() + " had problems:\n  " + String.join("\n  ", problems));
        }
    }
}
