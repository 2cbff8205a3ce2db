package shop.routing;

import course.testkit.ContainerDefects;
import course.testkit.FuzzRequest;
import course.testkit.FuzzRun;
import course.testkit.FuzzVerdict;
import course.testkit.RawRequest;
import java.net.URL;
import java.util.Locale;

/**
 * A container defect this module meets that testkit's {@link ContainerDefects} does not list yet, tolerated by its
 * {@code FuzzIT} as testkit tolerates the others: matched narrowly, counted apart, never skipped in silence. Every
 * request whose path holds a ':' (raw, or {@code %3A}) answers 500 with an empty body, whatever its method and
 * endpoint: with a Jakarta Security mechanism in the app ({@link BasicSignIn}), Payara checks each request's path
 * for JACC before any filter or endpoint runs, and Exousia's {@code WebResourcePermission} throws "invalid
 * URLPatternSpec" on the colon ({@code GET /a%3Ab} answers {@code 500}, {@code Content-Length: 0}). Remove this class
 * once testkit lists the defect.
 */
final class ColonPathDefect {

    static final ContainerDefects.Defect DEFECT = new ContainerDefects.Defect("colon-in-path-jacc-500",
            "Exousia WebResourcePermission, no upstream report yet",
            (request, answer) -> answer.status() == 500 && answer.body().isEmpty() && hasColon(request.target()));

    private ColonPathDefect() {
    }

    /** As {@link FuzzRun#http}, with this defect tolerated besides testkit's. */
    static void http(FuzzRun run, FuzzRequest request, URL base) {
        if (!hasColon(request.target())) {
            run.http(request, base);
            return;
        }
        String outcome;
        try {
            RawRequest.Answer answer = request.send(base, FuzzRun.ANSWER_TIMEOUT);
            outcome = DEFECT.matcher().matches(request, answer)
                    ? "tolerated " + DEFECT.name() + " (" + DEFECT.upstream() + ")" : FuzzVerdict.judge(request, answer);
        } catch (RawRequest.ConnectionEnded ended) {
            outcome = FuzzVerdict.judgeNoAnswer(request, ended);
        }
        run.count("HTTP " + outcome);
    }

    /** Whether the path of a request target (not its query, nor the authority of an absolute one) holds a ':'. */
    static boolean hasColon(String target) {
        String path = target;
        if (path.regionMatches(true, 0, "http://", 0, 7)) {
            int slash = path.indexOf('/', 7);
            path = slash < 0 ? "" : path.substring(slash);
        }
        int query = path.indexOf('?');
        path = (query < 0 ? path : path.substring(0, query)).toLowerCase(Locale.ROOT);
        return path.contains(":") || path.contains("%3a");
    }
}
