package shop.chat;

import course.testkit.RecordingWebSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The chat as its tests use it: sign in over HTTP, then open room WebSockets with that session and a same-site Origin. */
final class ChatApi {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final URL base;

    ChatApi(URL base) {
        this.base = base;
    }

    /** Signs in and returns the {@code Cookie} header value that carries the session. */
    String signIn(String name) {
        return signIn(name, null);
    }

    /**
     * Signs in as a client at {@code address}: the test server trusts the tests' own address as a proxy, so an
     * {@code X-Forwarded-For} header stands for another client, as behind the shop's load balancer.
     */
    String signIn(String name, String address) {
        HttpResponse<String> response = post("/api/session", "{\"name\":\"" + name + "\"}", address);
        if (response.statusCode() != 201) {
            throw new AssertionError("sign-in of " + name + " answered " + response.statusCode() + ": " + response.body());
        }
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    /** Signs in as one of the README's demo members, with the password its table shows, and returns the {@code Cookie}. */
    String signInMember(String name) {
        return signInMember(name, demoPassword(name));
    }

    String signInMember(String name, String password) {
        HttpResponse<String> response = post("/api/session", signInBody(name, password));
        if (response.statusCode() != 201) {
            throw new AssertionError("sign-in of member " + name + " answered " + response.statusCode() + ": " + response.body());
        }
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    /** A demo member's password, read from the README's table: a test then fails if the README shows a wrong one. */
    static String demoPassword(String name) {
        try {
            Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(name) + "` \\| `([^`]+)` \\|")
                    .matcher(Files.readString(Path.of("README.md")));
            if (!row.find()) {
                throw new AssertionError("README.md's table of demo members has no row for " + name);
            }
            return row.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String signInBody(String name, String password) {
        return "{\"name\":\"" + name + "\",\"password\":\"" + password + "\"}";
    }

    /** The handshake headers of a signed-in client: its session cookie and the page's own Origin. */
    Map<String, String> as(String cookie) {
        return Map.of("Cookie", cookie, "Origin", origin());
    }

    HttpResponse<String> post(String path, String json) {
        return post(path, json, null);
    }

    HttpResponse<String> post(String path, String json, String address) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (address != null) {
            request.header("X-Forwarded-For", address);
        }
        return send(request.build());
    }

    /** The handshake headers of a signed-in client at {@code address} (see {@link #signIn(String, String)}). */
    Map<String, String> from(String address, String cookie) {
        return Map.of("Cookie", cookie, "Origin", origin(), "X-Forwarded-For", address);
    }

    HttpResponse<String> get(String path, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request.build());
    }

    /** Signs {@code name} in and joins {@code room}. */
    RecordingWebSocket join(String name, String room) {
        return join(room, Map.of("Cookie", signIn(name), "Origin", origin()));
    }

    RecordingWebSocket join(String room, Map<String, String> headers) {
        return RecordingWebSocket.open(ws(room), headers);
    }

    URI ws(String roomAndQuery) {
        return URI.create(origin().replaceFirst("^http", "ws") + "/chat/" + roomAndQuery);
    }

    /** The page's own origin, as a browser would send it. */
    String origin() {
        return base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
    }

    URI uri(String path) {
        return URI.create(origin() + path);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
