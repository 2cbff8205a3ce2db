package course.testkit;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one place that says whether a server's answer to a generated input is acceptable. For HTTP: any status below
 * 500; a 4xx is {@code application/problem+json}; no answer shows a stack trace; a 5xx is acceptable only as a
 * {@link ContainerDefects known container defect}, which is counted apart. For a WebSocket: see {@link FrameVerdict}.
 * The leak check reads an answer without the words it echoes of the request ({@link #withoutEchoes}). The server
 * ending the connection without an answer is acceptable only to a request whose framing or request line is broken
 * ({@link ContainerDefects#requestLineBroken}). An unacceptable answer throws an {@link AssertionError} that quotes the request, which the fuzzer then reports
 * (and keeps) as its finding.
 */
public final class FuzzVerdict {

    /** Text that is only in an answer when a stack trace or an exception's name leaks into it. */
    private static final List<String> LEAKS = List.of("exception", "\tat ", "at java.", "at jakarta.", "at org.",
            "at com.", "at fish.", "at shop.", "caused by:", "stacktrace", ".java:");

    private FuzzVerdict() {
    }

    /**
     * Judges an HTTP answer; returns how it is counted: its status ({@code "400"}) or the tolerated defect's name
     * ({@code "tolerated colon-in-path-503 (payara/Payara#7777)"}).
     */
    public static String judge(FuzzRequest request, RawRequest.Answer answer) {
        Optional<ContainerDefects.Defect> defect = ContainerDefects.matching(request, answer);
        if (defect.isPresent()) {
            return "tolerated " + defect.get().name() + " (" + defect.get().upstream() + ")";
        }
        String framing = request.framingBroken() ? " (request framing broken)" : "";
        if (answer.status() >= 500) {
            throw new AssertionError("a " + answer.status() + framing + " to\n" + request + "\nanswer: " + answer);
        }
        if (answer.status() >= 400 && !answer.header("Content-Type").startsWith("application/problem+json")) {
            throw new AssertionError("a " + answer.status() + " that is not problem+json" + framing + ", to\n" + request
                    + "\nanswer: " + answer);
        }
        leakCheck("HTTP answer to\n" + request, withoutEchoes(answer.body(), request));
        return String.valueOf(answer.status());
    }

    /**
     * Judges a connection the server ended without (a whole) answer: acceptable only for a request whose framing was
     * broken on purpose (the server cannot tell where it ends), or whose request line does not parse (a control
     * character in the target, a method that is no token); returns how it is counted.
     */
    public static String judgeNoAnswer(FuzzRequest request, RawRequest.ConnectionEnded ended) {
        if (!request.framingBroken() && ContainerDefects.requestLineBroken(request)) {
            return "closed (a request line that does not parse)";
        }
        if (!request.framingBroken()) {
            throw new AssertionError("the server ended the connection without an answer (" + ended.getMessage()
                    + ") to a well-framed request:\n" + request);
        }
        return "closed (broken framing)";
    }

    /**
     * The body without the words (4 characters or more) it echoes from the request: a problem that quotes a name the
     * client sent ({@code No service named 'stacktrace'}) shows the client's own text, not a stack trace. Jazzer
     * learns the words the leak check looks for, and sends them.
     */
    static String withoutEchoes(String body, FuzzRequest request) {
        for (String word : new java.util.HashSet<>(List.of(new String(request.bytes(), java.nio.charset.StandardCharsets.UTF_8)
                .split("[^A-Za-z0-9]+")))) {
            if (word.length() >= 4) {
                body = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(word),
                        java.util.regex.Pattern.CASE_INSENSITIVE).matcher(body).replaceAll("");
            }
        }
        return body;
    }

    /** Fails if {@code text} shows a stack trace or an exception's name. */
    public static void leakCheck(String what, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String leak : LEAKS) {
            if (lower.contains(leak)) {
                throw new AssertionError("a stack trace or exception (\"" + leak.strip() + "\") in the " + what + ":\n" + text);
            }
        }
    }
}
