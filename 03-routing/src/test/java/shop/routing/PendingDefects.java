package shop.routing;

import course.testkit.ContainerDefects;
import course.testkit.FuzzRequest;
import course.testkit.FuzzRun;
import course.testkit.FuzzVerdict;
import course.testkit.RawRequest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The container defects this module's {@code FuzzIT} meets that testkit's {@link ContainerDefects} does not list yet,
 * tolerated as testkit tolerates the others: matched narrowly, counted apart, never skipped in silence. Each answers
 * before any code of the module runs. The first is this module's own: with a Jakarta Security mechanism in the app
 * ({@link BasicSignIn}), Payara checks each request's path for JACC before any filter or endpoint, and Exousia's
 * {@code WebResourcePermission} throws "invalid URLPatternSpec" on a ':' ({@code GET /a%3Ab}: {@code 500},
 * {@code Content-Length: 0}). So are the last six, which Grizzly's parser refuses with an empty answer: a path that is
 * no UTF-8, a control character in the target, no target or one above the root, a head over 8 KB, an HTTP version it
 * does not speak, and one more of Grizzly's. The others are Payara's for every module, as testkit's fuzz harness is
 * adding them. Remove each one once testkit lists it.
 */
final class PendingDefects {

    /** A percent-encoding Grizzly refuses to decode in a path. */
    private static final Pattern UNDECODABLE = Pattern.compile("%00|%(?![0-9A-Fa-f]{2})");

    static final ContainerDefects.Defect COLON_IN_PATH_500 = new ContainerDefects.Defect("colon-in-path-jacc-500",
            "Exousia's WebResourcePermission; not reported yet",
            (request, answer) -> answer.status() == 500 && answer.body().isEmpty() && path(request.target()).matches("(?s).*(:|%3a).*"));

    /** With tracing disabled (Payara's default), the CoyoteAdapter refuses TRACE itself: 405, no body. */
    static final ContainerDefects.Defect TRACE_405_WITHOUT_BODY = new ContainerDefects.Defect("trace-405-empty",
            "payara/Payara#5828 (code path; not reported)",
            (request, answer) -> request.method().equals("TRACE") && answer.status() == 405 && answer.body().isEmpty());

    /** A request with an Upgrade header gets its problem+json error without the Content-Type header (to HEAD: no body). */
    static final ContainerDefects.Defect UPGRADE_LOSES_CONTENT_TYPE = new ContainerDefects.Defect(
            "upgrade-loses-content-type", "not reported yet",
            (request, answer) -> answer.status() >= 400 && answer.status() < 500 && answer.header("Content-Type").isEmpty()
                    && (answer.body().startsWith("{\"type\":\"/problems/") || request.method().equals("HEAD") && answer.body().isEmpty())
                    && head(request).contains("\r\nupgrade:"));

    /** Framing Grizzly's parser refuses (see {@link #brokenLine}): its own 400, empty. */
    static final ContainerDefects.Defect BAD_FRAMING_400_WITHOUT_BODY = new ContainerDefects.Defect(
            "bad-framing-400-empty", "not reported yet",
            (request, answer) -> brokenLine(request) && answer.status() == 400 && answer.body().isEmpty()
                    && answer.header("Content-Type").isEmpty());

    /** Framing the servlet container's adapter refuses (see {@link #brokenLine}): its HTML page, no stack trace. */
    static final ContainerDefects.Defect BAD_FRAMING_400_HTML = new ContainerDefects.Defect("bad-framing-400-html",
            "not reported yet",
            (request, answer) -> brokenLine(request) && answer.status() == 400
                    && answer.header("Content-Type").startsWith("text/html")
                    && answer.body().contains("There are some problems with the request"));

    /** A path Grizzly will not decode ({@code %00}, a lone {@code %}, {@code %zz}): its own 400, empty. */
    static final ContainerDefects.Defect UNDECODABLE_PATH_400_WITHOUT_BODY = new ContainerDefects.Defect(
            "undecodable-path-400-empty", "not reported yet",
            (request, answer) -> answer.status() == 400 && answer.body().isEmpty()
                    && UNDECODABLE.matcher(path(request.target())).find());

    /** A path whose percent-encodings are no UTF-8 ({@code %ff}, {@code %c0%af}): Grizzly's own 400, empty. */
    static final ContainerDefects.Defect NOT_UTF8_PATH_400_WITHOUT_BODY = new ContainerDefects.Defect(
            "not-utf8-path-400-empty", "not reported yet",
            (request, answer) -> answer.status() == 400 && answer.body().isEmpty() && !decodesAsUtf8(path(request.target())));

    /** A request target with a control character or a space in it (a tab, say): Grizzly's own 400, empty. */
    static final ContainerDefects.Defect CONTROL_IN_TARGET_400_WITHOUT_BODY = new ContainerDefects.Defect(
            "control-in-target-400-empty", "not reported yet",
            (request, answer) -> answer.status() == 400 && answer.body().isEmpty()
                    && hasControl(request.target()));

    /** No target, or a path that climbs above the root ({@code /..}, {@code /%2e%2e}) or has a backslash: Grizzly's "400 Invalid URI", empty. */
    static final ContainerDefects.Defect INVALID_URI_400_WITHOUT_BODY = new ContainerDefects.Defect(
            "invalid-uri-400-empty", "not reported yet",
            (request, answer) -> answer.status() == 400 && answer.body().isEmpty() && (request.target().isEmpty()
                    || climbsAboveRoot(path(request.target())) || path(request.target()).matches("(?s).*(\\\\|%5c).*")));

    /** A request head over Grizzly's 8 KB limit (a long target or header): its own 400, empty. */
    static final ContainerDefects.Defect HEAD_TOO_LARGE_400_WITHOUT_BODY = new ContainerDefects.Defect(
            "head-too-large-400-empty", "not reported yet",
            (request, answer) -> answer.status() == 400 && answer.body().isEmpty() && head(request).length() > 8 * 1024);

    /** A request line naming an HTTP version Grizzly does not speak ({@code HTTP/9}): its own 505, empty. */
    static final ContainerDefects.Defect UNKNOWN_VERSION_505_WITHOUT_BODY = new ContainerDefects.Defect(
            "unknown-version-505-empty", "not reported yet",
            (request, answer) -> answer.status() == 505 && answer.body().isEmpty()
                    && !head(request).lines().findFirst().orElse("").matches(".* http/(1\\.0|1\\.1|2\\.0)"));

    /**
     * Grizzly's own 400, before Payara's adapter (no {@code Server} header, unlike every answer of Payara and the
     * module), empty: seen once, to a 2,190-byte {@code HEAD} with a long query, not reproduced by hand yet.
     */
    static final ContainerDefects.Defect GRIZZLY_400_WITHOUT_BODY = new ContainerDefects.Defect(
            "grizzly-400-empty", "not reported yet",
            (request, answer) -> answer.status() == 400 && answer.body().isEmpty() && answer.header("Content-Type").isEmpty()
                    && answer.header("Server").isEmpty());

    static final List<ContainerDefects.Defect> ALL = List.of(COLON_IN_PATH_500, TRACE_405_WITHOUT_BODY,
            UPGRADE_LOSES_CONTENT_TYPE, BAD_FRAMING_400_WITHOUT_BODY, BAD_FRAMING_400_HTML, UNDECODABLE_PATH_400_WITHOUT_BODY,
            NOT_UTF8_PATH_400_WITHOUT_BODY, CONTROL_IN_TARGET_400_WITHOUT_BODY, INVALID_URI_400_WITHOUT_BODY,
            HEAD_TOO_LARGE_400_WITHOUT_BODY, UNKNOWN_VERSION_505_WITHOUT_BODY, GRIZZLY_400_WITHOUT_BODY);

    private PendingDefects() {
    }

    /**
     * As {@link FuzzRun#http}, with these defects tolerated besides testkit's, and a request line that does not parse
     * counted as broken framing ({@link #brokenLine}): the server may end it without an answer; the leak check reads
     * the answer without what it echoes of the request ({@link #withoutEchoes}).
     */
    static void http(FuzzRun run, FuzzRequest request, URL base) {
        String outcome;
        try {
            RawRequest.Answer answer = request.send(base, FuzzRun.ANSWER_TIMEOUT);
            Optional<ContainerDefects.Defect> pending = ContainerDefects.matching(request, answer).isPresent()
                    ? Optional.empty() : ALL.stream().filter(d -> d.matcher().matches(request, answer)).findFirst();
            outcome = pending.map(d -> "tolerated " + d.name() + " (" + d.upstream() + ")")
                    .orElseGet(() -> FuzzVerdict.judge(request, withoutEchoes(answer, request)));
        } catch (RawRequest.ConnectionEnded ended) {
            // a control character splits the request line: its framing is broken, though FuzzRequests does not say so
            outcome = brokenLine(request) && !request.framingBroken() ? "closed (a request line that does not parse)"
                    : FuzzVerdict.judgeNoAnswer(request, ended);
        }
        run.count("HTTP " + outcome);
    }

    /** The path of a request target, lower case: not its query, nor the authority of an absolute one. */
    static String path(String target) {
        String path = target;
        if (path.regionMatches(true, 0, "http://", 0, 7)) {
            int slash = path.indexOf('/', 7);
            path = slash < 0 ? "" : path.substring(slash);
        }
        int query = path.indexOf('?');
        return (query < 0 ? path : path.substring(0, query)).toLowerCase(Locale.ROOT);
    }

    /**
     * The answer without the words it echoes from the request: a problem that quotes a subscription's name or selector
     * ({@code No service named 'stacktrace'}) shows the client's own text, not a stack trace. Jazzer learns the words
     * the leak check looks for, and sends them.
     */
    static RawRequest.Answer withoutEchoes(RawRequest.Answer answer, FuzzRequest request) {
        String body = answer.body();
        for (String word : new java.util.HashSet<>(List.of(new String(request.bytes(), StandardCharsets.UTF_8).split("[^A-Za-z0-9]+")))) {
            if (word.length() >= 4) {
                body = Pattern.compile(Pattern.quote(word), Pattern.CASE_INSENSITIVE).matcher(body).replaceAll("");
            }
        }
        return new RawRequest.Answer(answer.status(), answer.headers(), body);
    }

    /**
     * Whether the request's framing is broken: on purpose ({@link FuzzRequest#framingBroken()}), or by a request line
     * that does not parse, which FuzzRequests does not say: a method that is no token (RFC 9110: letters, digits and
     * {@code !#$%&'*+-.^_`|~}), or a control character in the target.
     */
    static boolean brokenLine(FuzzRequest request) {
        return request.framingBroken() || !request.method().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+") || hasControl(request.target());
    }

    private static boolean hasControl(String target) {
        return target.chars().anyMatch(c -> c <= ' ' || c == 0x7f);
    }

    /** Whether a path, its {@code %2e} read as dots, climbs above the root with {@code ..} segments. */
    static boolean climbsAboveRoot(String path) {
        int depth = 0;
        for (String segment : path.replace("%2e", ".").split("/", -1)) {
            String name = segment.contains(";") ? segment.substring(0, segment.indexOf(';')) : segment;
            if (name.equals("..")) {
                depth--;
                if (depth < 0) {
                    return true;
                }
            } else if (!name.isEmpty() && !name.equals(".")) {
                depth++;
            }
        }
        return false;
    }

    /** Whether the bytes a path's percent-encodings stand for are UTF-8. */
    static boolean decodesAsUtf8(String path) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '%' && i + 2 < path.length() && path.substring(i + 1, i + 3).matches("[0-9a-f]{2}")) {
                bytes.write(Integer.parseInt(path.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(path.charAt(i)).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static String head(FuzzRequest request) {
        String text = new String(request.bytes(), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        return (end < 0 ? text : text.substring(0, end)).toLowerCase(Locale.ROOT);
    }
}
