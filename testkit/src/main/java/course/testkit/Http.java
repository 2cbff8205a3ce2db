package course.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One HTTP exchange of a test's client: the answer as text, and a failure unchecked, so a helper's callers need not declare it. */
public final class Http {

    private Http() {
    }

    /** Sends {@code request}; an I/O failure is an {@link UncheckedIOException}, and an interrupt keeps the thread's flag. */
    public static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
