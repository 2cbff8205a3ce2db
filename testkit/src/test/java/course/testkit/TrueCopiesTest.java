package course.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files the modules copy from each other on purpose (the root README's table "Files copied on purpose between
 * modules") are true copies: the same in every module that holds them, all but the {@code package} line. A copy is a
 * class in {@code src/main/java} or a stylesheet in {@code src/main/webapp}. And no class name turns up in two modules'
 * {@code src/main/java} without being in that table or in {@link #NOT_COPIES}.
 */
class TrueCopiesTest {

    /**
     * Classes that share a name across modules but not a purpose: each module's own version of an idea, written
     * for its lesson. They are not copies, so they may differ. A name here may also be in the README's table, for
     * the modules the table names (01's BodyLimit is not 02's and 03's).
     */
    private static final Set<String> NOT_COPIES = Set.of(
            // 01: a servlet filter that drains a refused body (BoundedBody cuts a chunked one); 02 and 03: a JAX-RS
            // filter that counts the bytes as they are read (the table's row)
            "BodyLimit.java",
            // 01 and 03: a sliding window per name or address (the table's row); 04: frames per second per connection
            "FloodGuard.java",
            // 01: the page's own origin (scheme, host and port compared) or chat.allowed-origins; 04: also the shop's
            // other instances, where a page fails over
            "OriginPolicy.java",
            // what each module's WebSocket handshake checks: 01's room, Origin, sign-in and connection limits; 04's
            // Origin and signed session
            "HandshakeGuard.java",
            // 01: a chat member or guest; 04: a customer, with the time that tells a session from the revoked ones
            "SignIn.java",
            // 01: sign-ins kept in memory, one live per member; 04: HMAC-signed tokens any instance can check
            "SignIns.java",
            // the sign-in endpoint of 01's chat (guests and members) and of 04's shop (Jakarta Security, sign-out)
            "SessionResource.java",
            // the frames each module's WebSocket accepts: 01's chat, 04's orders and answers
            "ClientFrame.java",
            // 01: pings chat members and closes dead connections; 02: a worker's "alive" for the dashboard
            "Heartbeat.java",
            // each module's topology and broker users: 02's task queue, 04's workflow
            "BrokerSetup.java",
            // 02: what a worker says about the tasks it holds; 04: one step of an order, from the progress stream
            "Progress.java",
            // 03: the routing lesson's subscribing services; 04: the workflow's step services this process runs
            "Services.java",
            // GET /api/services: 03 lists instances, rules and consumer counts; 04 answers 503 while one is down
            "ServicesResource.java"
    );

    private static final String TABLE_HEADING = "## Files copied on purpose between modules";
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([A-Za-z0-9_]+\\.(?:java|css))`\\s*\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|\\s*$");
    private static final Pattern FILE_IN_CELL = Pattern.compile("`([A-Za-z0-9_]+\\.java)`");

    /** One row of the README's table. */
    private record Copy(String file, List<String> modules, Set<String> perModuleParts) {
    }

    private final Path root = courseRoot();
    private final Map<String, Path> modules = modules(root);
    private final Map<String, Map<String, List<Path>>> byName = filesByName(modules);
    private final List<Copy> table = table(root.resolve("README.md"));

    @Test
    void everyCopyInTheReadmeTableIsTheSameFileInEveryModuleThatHoldsItButForItsPackageLine() {
        assertFalse(table.isEmpty(), "the root README has no rows under \"" + TABLE_HEADING + "\"");
        List<String> problems = new ArrayList<>();
        for (Copy copy : table) {
            if (copy.modules().size() < 2) {
                problems.add(copy.file() + ": the table names " + copy.modules() + "; a copy needs two modules or more");
                continue;
            }
            Path first = null;
            String firstText = null;
            for (String module : copy.modules()) {
                Path module_ = modules.get(module);
                if (module_ == null) {
                    problems.add(copy.file() + ": the table names module " + module + ", which does not exist");
                    continue;
                }
                List<Path> found = byName.getOrDefault(copy.file(), Map.of()).getOrDefault(module, List.of());
                if (found.size() != 1) {
                    problems.add(copy.file() + ": expected once in " + module + "/src/main, found " + found.size() + " times");
                    continue;
                }
                String text = withoutPackageLine(found.get(0));
                if (first == null) {
                    first = found.get(0);
                    firstText = text;
                } else if (!text.equals(firstText)) {
                    problems.add(copy.file() + " differs between " + root.relativize(first) + " and "
                            + root.relativize(found.get(0)) + ": " + firstDifference(firstText, text));
                }
            }
            for (String holder : byName.getOrDefault(copy.file(), Map.of()).keySet()) {
                if (!copy.modules().contains(holder) && !NOT_COPIES.contains(copy.file())) {
                    problems.add(copy.file() + " is also in " + holder + ", which the README's table does not name: "
                            + "add the module to its row, or the file to TrueCopiesTest.NOT_COPIES with why it differs");
                }
            }
        }
        assertTrue(problems.isEmpty(), "Copies that are not true copies (make them identical, and move what a module "
                + "needs differently into its per-module file):\n  " + String.join("\n  ", problems));
    }

    @Test
    void everyFileNameInTwoModulesIsACopyAPerModulePartOrListedAsAnotherConcept() {
        Set<String> copies = new TreeSet<>();
        Set<String> perModuleParts = new TreeSet<>();
        for (Copy copy : table) {
            copies.add(copy.file());
            perModuleParts.addAll(copy.perModuleParts());
        }
        List<String> unexplained = new ArrayList<>();
        byName.forEach((name, holders) -> {
            if (name.endsWith(".java") && holders.size() > 1 && !copies.contains(name) && !perModuleParts.contains(name) && !NOT_COPIES.contains(name)) {
                unexplained.add(name + " in " + holders.keySet());
            }
        });
        assertTrue(unexplained.isEmpty(), "Same file name in several modules, but neither a row of the root README's "
                + "table \"" + TABLE_HEADING.substring(3) + "\" (a true copy) nor in TrueCopiesTest.NOT_COPIES "
                + "(another concept, with why):\n  " + String.join("\n  ", unexplained));
    }

    @Test
    void theListOfOtherConceptsAndThePerModulePartsNameFilesThatExist() {
        List<String> stale = new ArrayList<>();
        for (String name : NOT_COPIES) {
            if (byName.getOrDefault(name, Map.of()).size() < 2) {
                stale.add(name + " (NOT_COPIES) is no longer in two modules: remove it from the list");
            }
        }
        for (Copy copy : table) {
            for (String part : copy.perModuleParts()) {
                Set<String> holders = byName.getOrDefault(part, Map.of()).keySet();
                if (!holders.containsAll(copy.modules())) {
                    stale.add(part + " (the per-module part of " + copy.file() + ") is missing from a module: it is in "
                            + holders + ", the copy in " + copy.modules());
                }
            }
        }
        assertTrue(stale.isEmpty(), String.join("\n", stale));
    }

    @Test
    void theTableReaderFindsWhatItShould() {
        // A check of this test's own parsing, so that a reformatted table cannot make the tests above pass on nothing.
        Copy problem = table.stream().filter(c -> c.file().equals("Problem.java")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for Problem.java in the README's table"));
        assertEquals(4, problem.modules().size(), "Problem.java's row names " + problem.modules());
        assertTrue(table.stream().anyMatch(c -> c.perModuleParts().contains("Handshakes.java")),
                "no row names Handshakes.java as its per-module part");
        assertEquals("a\nb\n", withoutPackageLine("package x.y;\na\nb\n"));
    }

    /** The folder that holds the parent pom.xml with the modules, found upwards from the working directory. */
    static Path courseRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && read(pom).contains("<module>01-websocket-chat</module>")) {
                return dir;
            }
        }
        throw new AssertionError("no folder above " + Path.of("").toAbsolutePath() + " holds the course's parent pom.xml");
    }

    /** The numbered modules by their number ("01" → 01-websocket-chat). */
    private static Map<String, Path> modules(Path root) {
        Map<String, Path> modules = new TreeMap<>();
        try (Stream<Path> children = Files.list(root)) {
            children.filter(p -> p.getFileName().toString().matches("\\d\\d-.+") && Files.isDirectory(p.resolve("src/main/java")))
                    .forEach(p -> modules.put(p.getFileName().toString().substring(0, 2), p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(modules.size() >= 2, "fewer than two modules under " + root);
        return modules;
    }

    /** File name → module → where it is in that module's src/main/java (any package) or src/main/webapp (stylesheets). */
    private static Map<String, Map<String, List<Path>>> filesByName(Map<String, Path> modules) {
        Map<String, Map<String, List<Path>>> byName = new TreeMap<>();
        modules.forEach((module, dir) -> {
            for (String folder : List.of("src/main/java", "src/main/webapp")) {
                if (!Files.isDirectory(dir.resolve(folder))) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(dir.resolve(folder))) {
                    files.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".css")).sorted().forEach(p -> byName
                            .computeIfAbsent(p.getFileName().toString(), n -> new TreeMap<>())
                            .computeIfAbsent(module, m -> new ArrayList<>()).add(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        return byName;
    }

    /** The rows under the README's heading, up to the next heading. */
    private static List<Copy> table(Path readme) {
        List<Copy> rows = new ArrayList<>();
        boolean inSection = false;
        for (String line : read(readme).split("\n")) {
            if (line.startsWith("## ")) {
                inSection = line.strip().equals(TABLE_HEADING);
                continue;
            }
            Matcher row = ROW.matcher(line.strip());
            if (inSection && row.matches()) {
                List<String> modules = new ArrayList<>();
                for (String module : row.group(2).split(",")) {
                    modules.add(module.strip());
                }
                Set<String> parts = new TreeSet<>();
                Matcher part = FILE_IN_CELL.matcher(row.group(4));
                while (part.find()) {
                    parts.add(part.group(1));
                }
                rows.add(new Copy(row.group(1), modules, parts));
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        rows.forEach(c -> counts.merge(c.file(), 1L, Long::sum));
        counts.forEach((file, n) -> assertEquals(1L, n, file + " has more than one row in the README's table"));
        return rows;
    }

    /** The file's text without its package line (the one line a copy may change). */
    static String withoutPackageLine(Path file) {
        return withoutPackageLine(read(file));
    }

    private static String withoutPackageLine(String text) {
        return text.replaceFirst("(?m)^package [\\w.]+;\\R", "");
    }

    private static String firstDifference(String a, String b) {
        String[] left = a.split("\n", -1);
        String[] right = b.split("\n", -1);
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            String l = i < left.length ? left[i] : "(end of file)";
            String r = i < right.length ? right[i] : "(end of file)";
            if (!l.equals(r)) {
                return "first at line " + (i + 2) + " (after the package line):\n      " + l.strip() + "\n    vs\n      " + r.strip();
            }
        }
        fail("no difference found");
        return "";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
