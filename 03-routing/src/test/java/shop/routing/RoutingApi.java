package shop.routing;

import course.testkit.Http;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The module's HTTP API as a test drives it: publish order events, read who got what. */
public final class RoutingApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() % 1_000_000);

    /** The demo profile's operator and viewer (README, Run it), which the tests' servers run with. */
    static final String OPERATOR = "operator", OPERATOR_PASSWORD = "operator-demo-pass";
    static final String VIEWER = "viewer", VIEWER_PASSWORD = "viewer-demo-pass";

    private final URI base;
    /** The Authorization header every request carries, or null: anonymous. */
    private final String authorization;

    public RoutingApi(URL base) {
        this(URI.create(base.toString().endsWith("/") ? base.toString() : base + "/"), null);
    }

    private RoutingApi(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** The same API, each request signed in as {@code name} with HTTP Basic. */
    RoutingApi signedIn(String name, String password) {
        return new RoutingApi(base, "Basic " + java.util.Base64.getEncoder()
                .encodeToString((name + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The same API as the demo operator, who may add and remove subscriptions. */
    public RoutingApi asOperator() {
        return signedIn(OPERATOR, OPERATOR_PASSWORD);
    }

    /** A fresh order id, unique in this run, so a test recognises its own messages. */
    public static String newId(String prefix) {
        return prefix + "-" + IDS.incrementAndGet();
    }

    public HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A request as a hostile or careless client may send it: any method, headers (name, value, ...) and body. */
    HttpResponse<String> raw(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).method(method, body);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    /** This server's own origin, as a browser sends it in {@code Origin} from one of its pages. */
    String origin() {
        return base.getScheme() + "://" + base.getAuthority();
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    public HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    /** Publishes one order event through the REST API; fails unless it was accepted. */
    public void publish(String key, String orderId, String amount) {
        HttpResponse<String> response = post("api/orders/events",
                "{\"key\":\"" + key + "\",\"orderId\":\"" + orderId + "\",\"amount\":" + amount + "}");
        if (response.statusCode() != 202) {
            throw new AssertionError("publishing " + key + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Publishes one order event with an {@code Idempotency-Key} header (its field value as sent, quotes included). */
    HttpResponse<String> publishWithKey(String idempotencyKey, String key, String orderId, String amount) {
        return raw("POST", "api/orders/events", HttpRequest.BodyPublishers.ofString(
                        "{\"key\":\"" + key + "\",\"orderId\":\"" + orderId + "\",\"amount\":" + amount + "}"),
                "Content-Type", "application/json", "Idempotency-Key", idempotencyKey);
    }

    public List<JsonObject> deliveries() {
        return array(get("api/deliveries?after=0").body()).getValuesAs(JsonObject.class);
    }

    /** The receipts (not the sends) of one message id. */
    public List<JsonObject> receiptsOf(String id) {
        return deliveries().stream().filter(d -> !d.getString("service").equals("x") && d.getString("id").equals(id)).toList();
    }

    public List<JsonObject> services() {
        return array(get("api/services").body()).getValuesAs(JsonObject.class);
    }

    static JsonObject object(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    static JsonArray array(String json) {
        return Json.createReader(new StringReader(json)).readArray();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return Http.send(HTTP, request.timeout(Duration.ofSeconds(30)).build());
    }
}
