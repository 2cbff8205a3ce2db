// CI: after a red `mvn verify`, print each failed test with the first lines of its message, so that the
// log's last screen names what failed (a module's fuzz output can push Maven's own summary far up).
import java.nio.file.*;
import java.util.regex.*;
import java.util.stream.*;

class Failures {
    private static final Pattern FAILED_CASE = Pattern.compile(
            "<testcase name=\"([^\"]*)\" classname=\"([^\"]*)\"[^>]*>\\s*<(failure|error)( message=\"([^\"]*)\")?",
            Pattern.DOTALL);

    public static void main(String[] args) throws Exception {
        try (Stream<Path> reports = Files.find(Path.of("."), 4, (path, attributes) ->
                path.getFileName().toString().matches("TEST-.*\\.xml")
                        && path.toString().contains("target" + java.io.File.separator))) {
            for (Path report : reports.sorted().toList()) {
                Matcher failed = FAILED_CASE.matcher(Files.readString(report));
                while (failed.find()) {
                    System.out.printf("%s %s.%s: %s%n", failed.group(3).toUpperCase(), failed.group(2),
                            failed.group(1), firstLines(failed.group(5)));
                }
            }
        }
    }

    private static String firstLines(String message) {
        if (message == null) return "(no message)";
        String text = message.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&#10;", "\n").replace("&amp;", "&");
        return text.lines().limit(6).collect(Collectors.joining("\n    "));
    }
}
