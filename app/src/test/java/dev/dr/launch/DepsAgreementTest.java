package dev.dr.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * pom.xml is the one place dependency versions are written; runner/dr.java repeats them for
 * JBang, which cannot read a pom, and runner/sandbox.java those of the sandbox server, which
 * JBang runs apart from dr. This test keeps them from drifting apart, checks that dr.java compiles
 * the modules Maven's dr (app) runs on, one glob each, and that JBang puts every class-path
 * resource of those modules at Maven's path. Which module may use what is the compiler's to say.
 */
class DepsAgreementTest {

    private static final Path ROOT = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath();
    private static final Path SCRIPT = ROOT.resolve("runner/dr.java");
    private static final Path SANDBOX_SCRIPT = ROOT.resolve("runner/sandbox.java");

    /** Artifacts ("group:artifact" to version, null when a BOM manages it) and BOMs. */
    record Deps(Map<String, String> artifacts, Map<String, String> boms) {}

    /** The modules runner/dr.java compiles (its //SOURCES), and the one runner/sandbox.java does. */
    static final List<String> DR_MODULES = List.of("step-api", "aws", "runner", "steps");
    static final List<String> SANDBOX_MODULES = List.of("sandbox");

    @Test
    void jbangDepsAreThePomRuntimeDependencies() throws Exception {
        Document parent = parse(ROOT.resolve("pom.xml"));
        Deps drPom = pomDeps(parent, modules(DR_MODULES));
        Deps sandboxPom = pomDeps(parent, modules(SANDBOX_MODULES));
        List<String> dr = directives(Files.readAllLines(SCRIPT), "DEPS");
        List<String> sandbox = directives(Files.readAllLines(SANDBOX_SCRIPT), "DEPS");
        assertThat(drPom.artifacts()).as("runtime dependencies found in the modules' poms").isNotEmpty();
        assertThat(compare(drPom, jbangDeps(dr))).as("%s versus //DEPS of runner/dr.java", DR_MODULES).isEmpty();
        assertThat(compare(sandboxPom, jbangDeps(sandbox)))
                .as("sandbox/pom.xml versus //DEPS of runner/sandbox.java").isEmpty();
        // What both scripts name (a BOM, slf4j-nop), they name alike.
        assertThat(namedUnlike(jbangDeps(dr), jbangDeps(sandbox)))
                .as("named in runner/dr.java and runner/sandbox.java with different versions").isEmpty();
    }

    @Test
    void theScriptsCompileTheModulesFolderByFolder() throws IOException {
        assertThat(directives(Files.readAllLines(SCRIPT), "SOURCES")).containsExactlyInAnyOrderElementsOf(
                DR_MODULES.stream().map(m -> m.equals("runner") ? "src/main/java/**/*.java" : "../" + m + "/src/main/java/**/*.java").toList());
        assertThat(directives(Files.readAllLines(SANDBOX_SCRIPT), "SOURCES"))
                .containsExactly("../sandbox/src/main/java/**/*.java");
    }

    private static List<Document> modules(List<String> names) throws Exception {
        List<Document> poms = new ArrayList<>();
        for (String m : names) {
            poms.add(parse(ROOT.resolve(m).resolve("pom.xml")));
        }
        return poms;
    }

    /** Artifacts and BOMs that both name, with different versions. */
    static List<String> namedUnlike(Deps a, Deps b) {
        List<String> unlike = new ArrayList<>();
        a.artifacts().forEach((ga, v) -> {
            if (b.artifacts().containsKey(ga) && !Objects.equals(v, b.artifacts().get(ga))) {
                unlike.add(ga);
            }
        });
        a.boms().forEach((ga, v) -> {
            if (b.boms().containsKey(ga) && !Objects.equals(v, b.boms().get(ga))) {
                unlike.add(ga + " (BOM)");
            }
        });
        return unlike;
    }

    @Test
    void everyMavenResourceIsOnTheJbangClasspath() throws Exception {
        Map<String, Path> jbangFiles =
                jbangFiles(SCRIPT.getParent(), directives(Files.readAllLines(SCRIPT), "FILES"));
        for (String m : DR_MODULES) {
            assertThat(missingResources(parse(ROOT.resolve(m).resolve("pom.xml")), jbangFiles, ROOT.resolve(m)))
                    .as("Maven resources of %s that the //FILES lines of runner/dr.java do not put on the classpath", m)
                    .isEmpty();
        }
    }

    @Test
    void everyGlobStartsInAFolderThatAFreshCloneHas() throws IOException {
        List<String> globs = new ArrayList<>(directives(Files.readAllLines(SCRIPT), "SOURCES"));
        directives(Files.readAllLines(SCRIPT), "FILES").forEach(f -> globs.add(f.substring(f.indexOf('=') + 1)));
        for (String glob : globs) {
            Path base = SCRIPT.getParent().resolve(globBase(glob));
            // JBang fails on a glob whose folder is missing, and Git does not keep empty folders.
            try (Stream<Path> files = Files.isDirectory(base) ? Files.walk(base) : Stream.of(base)) {
                assertThat(files.anyMatch(Files::isRegularFile))
                        .as("%s: no file there, so a fresh clone lacks it", glob)
                        .isTrue();
            }
        }
    }

    @Test
    void comparisonReportsEachKindOfDisagreement() {
        Deps pom = new Deps(map("g:a", "1.0", "g:gone", "1.0", "g:managed", null), map("g:bom", "2.0"));
        Deps jbang = new Deps(map("g:a", "1.1", "g:extra", "3.0", "g:managed", "2.0"), map("g:bom", "2.1"));
        assertThat(compare(pom, jbang)).containsExactlyInAnyOrder(
                "g:a: pom.xml has 1.0, //DEPS has 1.1",
                "g:gone: a runtime dependency in pom.xml, missing from //DEPS",
                "g:managed: pom.xml has no version (BOM-managed), //DEPS has 2.0",
                "g:extra: in //DEPS, but not a runtime dependency in pom.xml",
                "g:bom (BOM): pom.xml has 2.0, //DEPS has 2.1");
        assertThat(compare(pom, pom)).isEmpty();
        assertThat(namedUnlike(pom, jbang)).containsExactly("g:a", "g:managed", "g:bom (BOM)");
    }

    @Test
    void depsLinesAreReadLikeJbangReadsThem() {
        Deps deps = jbangDeps(directives(List.of(
                "//DEPS x:bom:1@pom", "//DEPS x.y:a, x.y:b:2 // why", "//DEPS x.y:c:3:linux-x86_64",
                "// DEPS not:a:directive"), "DEPS"));
        assertThat(deps.boms()).isEqualTo(map("x:bom", "1"));
        assertThat(deps.artifacts()).isEqualTo(map("x.y:a", null, "x.y:b", "2", "x.y:c (linux-x86_64)", "3"));
    }

    @Test
    void resourceMissingFromFilesIsReported(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("runner"));
        Files.createDirectories(dir.resolve("res/sub"));
        Files.writeString(dir.resolve("res/sub/listed.json"), "{}");
        Files.writeString(dir.resolve("res/forgotten.json"), "{}");
        Files.writeString(dir.resolve("runner/pom.xml"), "<project><build><resources><resource>"
                + "<directory>${dr.root}/res</directory><targetPath>r</targetPath>"
                + "</resource></resources></build></project>");
        Map<String, Path> files = jbangFiles(dir.resolve("runner"), List.of("r/sub/=../res/sub/*.json"));
        assertThat(files).containsOnlyKeys("r/sub/listed.json");
        assertThat(missingResources(parse(dir.resolve("runner/pom.xml")), files, dir.resolve("runner")))
                .containsExactly("r/forgotten.json (from res/forgotten.json)");
    }

    // ---------------------------------------------------------------- pom.xml

    static Document parse(Path xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    }

    /** The runtime dependencies of these modules, with the versions the parent manages. */
    static Deps pomDeps(Document parent, List<Document> modules) {
        Document pom = parent;
        Map<String, String> props = new TreeMap<>();
        for (Element p : children(first(pom.getDocumentElement(), "properties"))) {
            props.put(p.getTagName(), p.getTextContent().trim());
        }
        Element managementList = first(first(pom.getDocumentElement(), "dependencyManagement"), "dependencies");
        Map<String, String> managed = new TreeMap<>();
        Map<String, String> imported = new TreeMap<>();
        for (Element d : children(managementList)) {
            if ("dev.dr".equals(text(d, "groupId"))) {
                continue;
            }
            String version = resolve(text(d, "version"), props);
            if ("import".equals(text(d, "scope"))) {
                imported.put(ga(d), version);
            } else {
                managed.put(ga(d), version);
            }
        }
        // Maven wants a version on every managed entry; one that is its BOM's version is the BOM's
        // to give, as //DEPS leaves it out.
        managed.replaceAll((ga, v) -> imported.entrySet().stream()
                .anyMatch(b -> inFamily(groupOf(ga), b.getKey()) && b.getValue().equals(v)) ? null : v);
        List<Element> dependencies = new ArrayList<>();
        for (Document module : modules) {
            children(first(module.getDocumentElement(), "dependencies")).stream()
                    .filter(d -> !"dev.dr".equals(text(d, "groupId")))
                    .forEach(dependencies::add);
        }
        Map<String, String> artifacts = new TreeMap<>();
        Map<String, String> boms = new TreeMap<>();
        List<String> testGroups = new ArrayList<>();
        for (Element d : dependencies) {
            String scope = text(d, "scope");
            if (scope != null && !scope.equals("compile") && !scope.equals("runtime")) {
                testGroups.add(text(d, "groupId"));
                continue;
            }
            // Exclusions are allowed: //DEPS cannot express them, so JBang's class path is a
            // superset of Maven's, and JbangLaunchTest runs the sandbox drill on that one too.
            String version = text(d, "version") != null ? resolve(text(d, "version"), props) : managed.get(ga(d));
            artifacts.put(ga(d), version);
            if (version == null) {
                // Which imported BOM manages it? Without reading the BOMs: the one of its group family
                // (tools.jackson manages tools.jackson.core).
                String group = text(d, "groupId");
                imported.keySet().stream()
                        .filter(b -> inFamily(group, b))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no imported BOM in pom.xml manages " + ga(d)));
            }
        }
        // Every imported BOM counts but those that manage only test dependencies (junit's) or only
        // other modules' (AWS's for the sandbox): a BOM such as netty's aligns transitive versions
        // and must be on both sides.
        imported.forEach((bom, version) -> {
            boolean forOthers = Stream.concat(testGroups.stream(), managed.keySet().stream().map(DepsAgreementTest::groupOf))
                    .anyMatch(g -> inFamily(g, bom));
            boolean testOnly = forOthers && artifacts.keySet().stream().noneMatch(a -> inFamily(groupOf(a), bom));
            if (!testOnly) {
                boms.put(bom, version);
            }
        });
        return new Deps(artifacts, boms);
    }

    private static boolean inFamily(String group, String bom) {
        return group.equals(groupOf(bom)) || group.startsWith(groupOf(bom) + ".");
    }

    private static String resolve(String value, Map<String, String> props) {
        if (value == null) {
            return null;
        }
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = props.get(m.group(1));
            if (v == null) {
                throw new AssertionError("pom.xml property not found: " + m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        return m.appendTail(out).toString();
    }

    // ---------------------------------------------------------------- runner/dr.java

    /** The values of the //NAME lines, split as JBang splits them (a " // " starts a comment). */
    static List<String> directives(List<String> lines, String name) {
        List<String> values = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("//" + name + " ")) {
                String value = line.substring(name.length() + 3).split(" // ")[0].trim();
                for (String v : value.split("[ ;,]+")) {
                    if (!v.isEmpty()) {
                        values.add(v);
                    }
                }
            }
        }
        return values;
    }

    static Deps jbangDeps(List<String> deps) {
        Map<String, String> artifacts = new TreeMap<>();
        Map<String, String> boms = new TreeMap<>();
        for (String dep : deps) {
            boolean bom = dep.endsWith("@pom");
            String[] gav = dep.replaceFirst("@pom$", "").split(":");
            if (gav.length < 2 || gav.length > 4 || dep.contains("@") && !bom || gav.length == 4 && bom) {
                throw new AssertionError(
                        "unexpected //DEPS form (not group:artifact[:version[:classifier]] or group:artifact:version@pom): " + dep);
            }
            String ga = gav[0] + ":" + gav[1] + (gav.length == 4 ? " (" + gav[3] + ")" : "");
            String version = gav.length >= 3 ? gav[2] : null;
            (bom ? boms : artifacts).put(ga, version);
        }
        return new Deps(artifacts, boms);
    }

    /**
     * Where JBang puts each //FILES entry: "target" to the file. Follows JBang's rules for the
     * forms used here: "alias/=glob" puts a match at alias/ plus its path below the glob's fixed
     * part, a bare glob at that path alone, and "target=file" at target.
     */
    static Map<String, Path> jbangFiles(Path scriptDir, List<String> entries) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            String alias = eq < 0 ? null : entry.substring(0, eq);
            String source = entry.substring(eq + 1);
            if (!source.contains("*") && !source.contains("?")) {
                if (alias == null || alias.isEmpty() || alias.endsWith("/")) {
                    throw new AssertionError("write //FILES " + entry + " as target=file or with a glob");
                }
                files.put(alias, scriptDir.resolve(source).normalize());
                continue;
            }
            String prefix = alias == null || alias.isEmpty() || alias.endsWith("/") ? nonNull(alias) : alias + "/";
            Path baseDir = scriptDir.resolve(globBase(source));
            if (!Files.isDirectory(baseDir)) {
                continue; // see everyGlobStartsInAFolderThatAFreshCloneHas
            }
            PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + source);
            try (Stream<Path> walk = Files.walk(baseDir)) {
                for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                    if (glob.matches(scriptDir.relativize(f))) {
                        files.put(prefix + slashes(baseDir.relativize(f)), f.normalize());
                    }
                }
            }
        }
        return files;
    }

    // ---------------------------------------------------------------- comparisons

    static List<String> compare(Deps pom, Deps jbang) {
        List<String> problems = new ArrayList<>();
        compare(pom.artifacts(), jbang.artifacts(), "", problems);
        compare(pom.boms(), jbang.boms(), " (BOM)", problems);
        return problems;
    }

    private static void compare(Map<String, String> pom, Map<String, String> jbang, String kind, List<String> problems) {
        pom.forEach((ga, version) -> {
            if (!jbang.containsKey(ga)) {
                problems.add(ga + kind + ": a runtime dependency in pom.xml, missing from //DEPS");
            } else if (!Objects.equals(version, jbang.get(ga))) {
                problems.add(ga + kind + ": pom.xml has " + show(version) + ", //DEPS has " + show(jbang.get(ga)));
            }
        });
        jbang.keySet().stream()
                .filter(ga -> !pom.containsKey(ga))
                .forEach(ga -> problems.add(ga + kind + ": in //DEPS, but not a runtime dependency in pom.xml"));
    }

    /** Each file of each pom resource directory that JBang would not put at Maven's path. */
    static List<String> missingResources(Document pom, Map<String, Path> jbangFiles, Path root) throws IOException {
        List<String> missing = new ArrayList<>();
        Element resources = first(first(pom.getDocumentElement(), "build"), "resources");
        List<Map.Entry<Path, String>> dirs = new ArrayList<>();
        for (Element r : children(resources)) {
            String dir = text(r, "directory").replace("${dr.root}", root.getParent().toString());
            dirs.add(Map.entry(root.resolve(dir), text(r, "targetPath") == null ? "" : text(r, "targetPath") + "/"));
        }
        if (resources == null) {
            dirs.add(Map.entry(root.resolve("src/main/resources"), ""));
        }
        for (Map.Entry<Path, String> r : dirs) {
            Path dir = r.getKey();
            String prefix = r.getValue();
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                    String target = prefix + slashes(dir.relativize(f));
                    if (!f.normalize().equals(jbangFiles.get(target))) {
                        missing.add(target + " (from " + slashes(root.getParent().relativize(f.normalize())) + ")");
                    }
                }
            }
        }
        return missing;
    }

    // ---------------------------------------------------------------- small helpers

    /** A map from key-value pairs; values may be null. */
    private static Map<String, String> map(String... kv) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String show(String version) {
        return version == null ? "no version (BOM-managed)" : version;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /** The folders of a glob before its first wildcard: "../schema/" for "../schema/**". */
    static String globBase(String glob) {
        int wildcard = glob.replaceAll("[?]", "*").indexOf('*');
        return wildcard < 0 ? glob : glob.substring(0, glob.lastIndexOf('/', wildcard) + 1);
    }

    private static String slashes(Path p) {
        return p.toString().replace('\\', '/');
    }

    /** group:artifact, and the classifier in brackets when there is one, as {@link #jbangDeps} names it. */
    private static String ga(Element d) {
        String classifier = text(d, "classifier");
        return text(d, "groupId") + ":" + text(d, "artifactId") + (classifier == null ? "" : " (" + classifier + ")");
    }

    private static String groupOf(String ga) {
        return ga.substring(0, ga.indexOf(':'));
    }

    private static String text(Element e, String child) {
        Element c = first(e, child);
        return c == null ? null : c.getTextContent().trim();
    }

    /** The first direct child element with this name, or null. */
    private static Element first(Element e, String name) {
        return e == null ? null : children(e).stream().filter(c -> c.getTagName().equals(name)).findFirst().orElse(null);
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        if (e != null) {
            for (var n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element c) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}
