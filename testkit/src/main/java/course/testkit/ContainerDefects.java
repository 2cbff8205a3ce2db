package course.testkit;

import java.util.List;
import java.util.Optional;

/**
 * The container's (Payara Micro 7.2025.1, its Grizzly HTTP server) known defects the fuzz tests tolerate, each
 * matched narrowly (the exact request and answer it concerns), named after its upstream report, and counted and
 * printed by {@link FuzzRun}: never skipped in silence. A module's code cannot fix these: they answer before any
 * of it runs. Remove an entry once the Payara version the course uses fixes it; the fuzz tests then hold it.
 *
 * <p>Two more are kept out of the generated requests rather than tolerated, because they cost a timeout each:
 * {@code CONNECT} (Grizzly keeps the connection open without answering: a client waits until its own timeout) and
 * {@code Upgrade: h2c} with a body (the upgraded request loses its Content-Type; its answer comes in HTTP/2 frames,
 * whose compressed headers a raw client cannot check). Neither has an upstream report yet.
 */
public final class ContainerDefects {

    /** One tolerated defect: what it is, where it is reported, and the one answer it excuses. */
    public record Defect(String name, String upstream, Matcher matcher) {
    }

    /** Whether a request and its answer are this defect, exactly. */
    @FunctionalInterface
    public interface Matcher {
        boolean matches(FuzzRequest request, RawRequest.Answer answer);
    }

    /**
     * A ':' in the path (not in the query) answers 503 with the container's own page: Grizzly's path check fails
     * before the application sees the request.
     */
    public static final Defect COLON_IN_PATH = new Defect("colon-in-path-503", "payara/Payara#7777",
            (request, answer) -> answer.status() == 503 && pathOf(request.target()).contains(":"));

    /** Every tolerated defect, in the order they are checked. */
    public static final List<Defect> ALL = List.of(COLON_IN_PATH);

    private ContainerDefects() {
    }

    /** The defect this answer is, if it is one. */
    public static Optional<Defect> matching(FuzzRequest request, RawRequest.Answer answer) {
        return ALL.stream().filter(d -> d.matcher().matches(request, answer)).findFirst();
    }

    private static String pathOf(String target) {
        String path = target.startsWith("http://") ? target.substring(target.indexOf('/', "http://".length()) < 0
                ? target.length() : target.indexOf('/', "http://".length())) : target;
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }
}
