package dev.dr.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.dr.catalog.StepCatalog;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanLoader;
import dev.dr.plan.model.Phase;
import dev.dr.plan.model.Plan;
import dev.dr.source.Problem;
import dev.dr.source.YamlReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The plan fixture corpus: every file under {@code fixtures/invalid/} states in its header
 * which layer must refuse it and the first error it must get; every file under
 * {@code fixtures/valid/} and every plan of {@code plans/} must load without errors.
 *
 * <p>Header of a fixture (comment lines at the top of the file, before the first key):
 * <pre>
 * # kind: schema                      yaml | schema | semantic | guard, or valid
 * # expect: 12:3: run.stopAftr: unknown key 'stopAftr'; did you mean 'stopAfter'?
 * # expect-file: bases/broken.yaml    where the first error is, when not in the fixture itself
 * # expect-errors: many               how many errors (default 1), or many
 * # expect-warning: 9:13: inputs.imageRef: ...   (valid only) a warning; unlisted warnings fail
 * # expect-phases: bringup, restore   (valid only) the merged phases, in order
 * # expect-plan: sizing.instanceType = t4g.large   (valid only) a value of the loaded plan
 * # env: NAME=value                   the environment ${VAR} reads; empty otherwise
 * </pre>
 * {@code expect} is {@code line:column: path: message} (path {@code (plan)} for the whole
 * file); line, column and path must match exactly, the message must contain the text given.
 */
class FixtureCorpusTest {

    static final Path PROJECT = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath().normalize();
    static final Path FIXTURES = PROJECT.resolve("app/src/test/resources/fixtures");
    static final Path VALID = FIXTURES.resolve("valid");
    static final Path INVALID = FIXTURES.resolve("invalid");
    static final Path PLANS = PROJECT.resolve("plans");
    static final Path SCHEMA = PROJECT.resolve("schema/drill-plan.schema.json");

    static final Set<String> INVALID_KINDS = Set.of("yaml", "schema", "semantic", "guard");
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern DIRECTIVE = Pattern.compile(
            "^#\\s*(kind|expect|expect-file|expect-errors|expect-warning|expect-phases|expect-plan|env):\\s?(.*)$");
    private static final Pattern POSITIONED = Pattern.compile("^(\\d+):(\\d+): (\\S+): (.+)$");

    private static final PlanLoader LOADER = new PlanLoader(StepCatalog.load(FixtureCorpusTest.class.getClassLoader()));

    // ------------------------------------------------------------------ the corpus

    /** What a problem must look like: its place, its path and (part of) its message. */
    record Expected(String file, int line, int column, String path, String message) {
        static Expected parse(String spec, String file) {
            Matcher m = POSITIONED.matcher(spec.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("expected 'line:column: path: message', was '" + spec + "'");
            }
            return new Expected(file, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3), m.group(4));
        }

        @Override
        public String toString() {
            return file + ":" + line + ":" + column + ": " + path + ": ...'" + message + "'...";
        }
    }

    /** One fixture file and what its header says. */
    record Fixture(Path file, String display, String kind, Expected expect, String expectErrors,
                   List<Expected> warnings, List<String> phases, Map<String, String> plan, Map<String, String> env) {

        boolean valid() {
            return "valid".equals(kind);
        }

        /** The file the first error must be in: the fixture, or the base named by expect-file. */
        String errorFile() {
            return expect == null ? display : expect.file();
        }

        @Override
        public String toString() {
            return display;
        }
    }

    static Fixture fixture(Path file) {
        String display = display(file);
        Map<String, List<String>> d = directives(file);
        String kind = single(d, "kind", display);
        if (kind == null) {
            throw new IllegalStateException(display + ": no '# kind:' header");
        }
        String errorFile = display;
        String expectFile = single(d, "expect-file", display);
        if (expectFile != null) {
            errorFile = display(file.getParent().resolve(expectFile).normalize());
        }
        String expect = single(d, "expect", display);
        List<Expected> warnings = new ArrayList<>();
        for (String w : d.getOrDefault("expect-warning", List.of())) {
            warnings.add(Expected.parse(w, display));
        }
        List<String> phases = d.containsKey("expect-phases")
                ? Arrays.stream(single(d, "expect-phases", display).split(",")).map(String::strip).toList()
                : null;
        Map<String, String> plan = new LinkedHashMap<>();
        for (String p : d.getOrDefault("expect-plan", List.of())) {
            int eq = p.indexOf(" =");
            if (eq < 0) {
                throw new IllegalStateException(display + ": expect-plan needs 'path = value', was '" + p + "'");
            }
            plan.put(p.substring(0, eq).strip(), p.substring(eq + 2).strip());
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : d.getOrDefault("env", List.of())) {
            int eq = e.indexOf('=');
            env.put(e.substring(0, eq).strip(), e.substring(eq + 1));
        }
        return new Fixture(file, display, kind, expect == null ? null : Expected.parse(expect, errorFile),
                single(d, "expect-errors", display), warnings, phases, plan, env);
    }

    /** The directives of the leading comment block. */
    static Map<String, List<String>> directives(Path file) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : text(file).split("\r?\n", -1)) {
            if (!line.startsWith("#")) {
                break;
            }
            Matcher m = DIRECTIVE.matcher(line);
            if (m.matches()) {
                out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2));
            }
        }
        return out;
    }

    private static String single(Map<String, List<String>> d, String key, String display) {
        List<String> v = d.get(key);
        if (v == null) {
            return null;
        }
        if (v.size() > 1) {
            throw new IllegalStateException(display + ": '# " + key + ":' given " + v.size() + " times");
        }
        return v.get(0).strip();
    }

    /** The file's text: UTF-8 (without a BOM), or Latin-1 for the fixture that is not UTF-8. */
    static String text(Path file) {
        byte[] bytes = bytes(file);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The name messages give a fixture: its path under fixtures/, with '/'. */
    static String display(Path file) {
        return FIXTURES.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Files with a '# kind:' header; the others are bases that fixtures extend. */
    static List<Fixture> fixtures(Path dir) {
        return yamlFiles(dir).stream().filter(p -> directives(p).containsKey("kind")).map(FixtureCorpusTest::fixture).toList();
    }

    static List<Fixture> invalidFixtures() {
        return fixtures(INVALID);
    }

    static List<Fixture> validFixtures() {
        return fixtures(VALID);
    }

    static List<Path> plans() {
        return yamlFiles(PLANS);
    }

    static LoadedPlan load(Path file, String display, Map<String, String> env) {
        return assertTimeoutPreemptively(LOAD_TIMEOUT, () -> LOADER.load(file, display, env, Overrides.NONE),
                () -> display + " took longer than " + LOAD_TIMEOUT.toSeconds() + " s to load");
    }

    static String listing(LoadedPlan r) {
        return r.problems().isEmpty() ? "(no problems)"
                : r.problems().stream().map(p -> "  " + p.kind() + " " + p).collect(Collectors.joining("\n"));
    }

    // ------------------------------------------------------------------ one test per fixture

    @TestFactory
    Stream<DynamicTest> invalidFixturesGetTheirFirstError() {
        return invalidFixtures().stream().map(f -> dynamicTest(f.display(), f.file().toUri(), () -> checkInvalid(f)));
    }

    static void checkInvalid(Fixture f) {
        assertThat(INVALID_KINDS).as("%s: kind", f.display()).contains(f.kind());
        assertThat(f.expect()).as("%s: '# expect:' header", f.display()).isNotNull();
        LoadedPlan r = load(f.file(), f.display(), f.env());
        List<Problem> errors = r.errors();
        assertThat(errors).as("%s must be refused by the %s layer; the loader reported:\n%s",
                f.display(), f.kind(), listing(r)).isNotEmpty();
        assertFirstError(f, errors.get(0), r);
        if (!"many".equals(f.expectErrors())) {
            int n = f.expectErrors() == null ? 1 : Integer.parseInt(f.expectErrors());
            assertThat(errors).as("%s isolates one problem, so it gets %d error(s); the loader reported:\n%s",
                    f.display(), n, listing(r)).hasSize(n);
        }
        if ("guard".equals(f.kind())) {
            assertThat(r.onlyGuardsRefused()).as("%s: a refused guard leaves a valid plan:\n%s", f.display(), listing(r))
                    .isTrue();
            assertThat(r.plan()).as("%s: a refused guard still yields the plan", f.display()).isPresent();
        } else {
            assertThat(r.plan()).as("%s: an invalid plan is not bound", f.display()).isEmpty();
        }
    }

    static void assertFirstError(Fixture f, Problem first, LoadedPlan r) {
        Expected e = f.expect();
        SoftAssertions soft = new SoftAssertions();
        String context = String.format("%s: first error, expected %s %s; the loader reported:%n%s",
                f.display(), f.kind().toUpperCase(java.util.Locale.ROOT), e, listing(r));
        soft.assertThat(first.kind().name().toLowerCase(java.util.Locale.ROOT)).as("kind of " + context).isEqualTo(f.kind());
        soft.assertThat(first.pos().file()).as("file of " + context).isEqualTo(e.file());
        soft.assertThat(first.pos().line()).as("line of " + context).isEqualTo(e.line());
        soft.assertThat(first.pos().column()).as("column of " + context).isEqualTo(e.column());
        soft.assertThat(first.path().toString()).as("path of " + context).isEqualTo(e.path());
        soft.assertThat(first.message()).as("message of " + context).contains(e.message());
        soft.assertAll();
    }

    @TestFactory
    Stream<DynamicTest> validFixturesLoadWithoutErrors() {
        return validFixtures().stream().map(f -> dynamicTest(f.display(), f.file().toUri(), () -> checkValid(f)));
    }

    static void checkValid(Fixture f) {
        assertThat(f.expect()).as("%s: a valid fixture expects no error", f.display()).isNull();
        LoadedPlan r = load(f.file(), f.display(), f.env());
        assertThat(r.errors()).as("%s must load without errors:\n%s", f.display(), listing(r)).isEmpty();
        assertThat(r.plan()).as("%s: plan", f.display()).isPresent();
        List<Problem> warnings = new ArrayList<>(r.warnings());
        for (Expected w : f.warnings()) {
            Problem match = warnings.stream()
                    .filter(p -> p.pos().file().equals(w.file()) && p.pos().line() == w.line()
                            && p.pos().column() == w.column() && p.path().toString().equals(w.path())
                            && p.message().contains(w.message()))
                    .findFirst().orElse(null);
            assertThat(match).as("%s: warning %s; the loader reported:\n%s", f.display(), w, listing(r)).isNotNull();
            warnings.remove(match);
        }
        assertThat(warnings).as("%s: warnings the header does not list", f.display()).isEmpty();
        Plan plan = r.plan().orElseThrow();
        if (f.phases() != null) {
            assertThat(plan.phases()).extracting(p -> p.name().id()).as("%s: phases", f.display())
                    .containsExactlyElementsOf(f.phases());
        }
        f.plan().forEach((path, value) ->
                assertThat(String.valueOf(valueAt(plan, path))).as("%s: plan value %s", f.display(), path).isEqualTo(value));
    }

    /** Follows record accessors, list indices and map keys (by their text) from the plan. */
    static Object valueAt(Object root, String dotted) {
        Object o = root;
        for (String seg : dotted.split("\\.")) {
            if (o instanceof List<?> list) {
                o = list.get(Integer.parseInt(seg));
            } else if (o instanceof Map<?, ?> map) {
                o = map.entrySet().stream().filter(en -> String.valueOf(en.getKey()).equals(seg))
                        .map(Map.Entry::getValue).findFirst()
                        .orElseThrow(() -> new AssertionError("no key '" + seg + "' in " + map.keySet()));
            } else if (o != null && o.getClass().isRecord()) {
                RecordComponent c = Arrays.stream(o.getClass().getRecordComponents())
                        .filter(rc -> rc.getName().equals(seg)).findFirst()
                        .orElseThrow(() -> new AssertionError("no component '" + seg + "' in " + root.getClass()));
                try {
                    Method m = c.getAccessor();
                    o = m.invoke(o);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            } else {
                throw new AssertionError("cannot follow '" + seg + "' of " + dotted + " into " + o);
            }
        }
        return o;
    }

    @TestFactory
    Stream<DynamicTest> projectPlansLoadWithoutErrors() {
        return plans().stream().filter(p -> p.getParent().equals(PLANS)).map(p -> {
            String display = PROJECT.relativize(p).toString().replace('\\', '/');
            return dynamicTest(display, p.toUri(), () -> {
                LoadedPlan r = load(p, display, Map.of());
                assertThat(r.errors()).as("%s with an empty environment:\n%s", display, listing(r)).isEmpty();
                assertThat(r.plan()).as(display).isPresent();
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> projectBasePlansHaveNoYamlOrSchemaErrors() {
        // A base need not be a whole plan (common.yaml has no phases), but each file is well-formed.
        return plans().stream().filter(p -> !p.getParent().equals(PLANS)).map(p -> {
            String display = PROJECT.relativize(p).toString().replace('\\', '/');
            return dynamicTest(display, p.toUri(), () -> {
                LoadedPlan r = load(p, display, Map.of());
                assertThat(r.errors()).filteredOn(e -> e.kind() == Problem.Kind.YAML || e.kind() == Problem.Kind.SCHEMA)
                        .as("%s:\n%s", display, listing(r)).isEmpty();
            });
        });
    }

    // ------------------------------------------------------------------ the corpus as a whole

    @Test
    void corpusHasEnoughFixturesOfEveryKind() {
        List<Fixture> invalid = invalidFixtures();
        assertThat(invalid).as("invalid fixtures").hasSizeGreaterThanOrEqualTo(40);
        assertThat(invalid).extracting(Fixture::kind).as("kinds of invalid fixtures").containsAll(INVALID_KINDS);
        assertThat(validFixtures()).as("valid fixtures").hasSizeGreaterThanOrEqualTo(8);
        assertThat(validFixtures()).extracting(Fixture::kind).as("kinds of valid fixtures").containsOnly("valid");
        assertThat(plans()).as("plans/").isNotEmpty();
    }

    @Test
    void everySchemaFixtureIsRefusedBySchemaFirst() {
        List<String> wrong = new ArrayList<>();
        for (Fixture f : invalidFixtures()) {
            if (!"schema".equals(f.kind())) {
                continue;
            }
            LoadedPlan r = load(f.file(), f.display(), f.env());
            Problem first = r.errors().isEmpty() ? null : r.errors().get(0);
            if (first == null || first.kind() != Problem.Kind.SCHEMA) {
                wrong.add(f.display() + ": first error " + (first == null ? "none" : first.kind() + " " + first));
            }
        }
        assertThat(wrong).as("kind: schema fixtures whose first error is not a SCHEMA problem").isEmpty();
    }

    @Test
    void everyYamlFileOfTheCorpusIsAFixtureOrABaseOfOne() {
        Set<Path> extended = new TreeSet<>();
        for (Path p : yamlFiles(FIXTURES)) {
            Matcher m = Pattern.compile("(?m)^extends:\\s*(\\S+)\\s*$").matcher(text(p));
            if (m.find()) {
                extended.add(p.getParent().resolve(m.group(1)).normalize());
            }
        }
        List<String> stray = yamlFiles(FIXTURES).stream()
                .filter(p -> !directives(p).containsKey("kind") && !extended.contains(p.toAbsolutePath().normalize()))
                .map(FixtureCorpusTest::display).toList();
        assertThat(stray).as("files without '# kind:' that no fixture extends (a typo in the header?)").isEmpty();
        assertThat(yamlFiles(VALID)).as("every file under valid/ is a fixture")
                .allSatisfy(p -> assertThat(directives(p)).containsKey("kind"));
    }

    @Test
    void theNonUtf8FixtureStillHoldsItsLatin1Byte() {
        // An editor or a checkout that re-encodes the file would turn it into a valid plan.
        byte[] b = bytes(INVALID.resolve("yaml-not-utf8.yaml"));
        assertThat(new String(b, StandardCharsets.ISO_8859_1)).contains("apr\u00e8s");
        assertThat(b).contains((byte) 0xE8).doesNotContain((byte) 0xC3);
    }

    @Test
    void everyOptionalKeyFixtureSetsEveryKeyOfTheSchema() throws Exception {
        JsonNode schema = tools.jackson.databind.json.JsonMapper.builder().build().readTree(SCHEMA.toFile());
        Set<String> declared = new TreeSet<>();
        declaredPaths(schema, schema, "", declared);
        Path file = VALID.resolve("every-optional-key.yaml");
        YamlReader.Result read = new YamlReader().read(file, display(file));
        assertThat(read.problems()).isEmpty();
        Set<String> used = new TreeSet<>();
        usedPaths(schema, schema, read.doc().root(), "", used);
        assertThat(declared).as("keys of the schema").hasSizeGreaterThan(40);
        // maxAttempts and maxRetries are alternatives (one per policy): retry.default gives the
        // first, the phases' policies give both, each in its own phase
        assertThat(declared.remove("retry.default.maxRetries")).as("retry.default.maxRetries in the schema").isTrue();
        assertThat(new TreeSet<>(declared)).as("schema keys that valid/every-optional-key.yaml leaves out")
                .isSubsetOf(used);
    }

    private static JsonNode resolve(JsonNode root, JsonNode s) {
        while (s != null && s.has("$ref")) {
            String ref = s.get("$ref").asString();
            s = root.at(ref.substring(1));
        }
        return s;
    }

    private static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    static void declaredPaths(JsonNode root, JsonNode s, String prefix, Set<String> out) {
        s = resolve(root, s);
        JsonNode props = s.get("properties");
        if (props != null) {
            for (String k : props.propertyNames()) {
                out.add(join(prefix, k));
                declaredPaths(root, props.get(k), join(prefix, k), out);
            }
        }
        if (s.get("additionalProperties") != null && s.get("additionalProperties").isObject()) {
            declaredPaths(root, s.get("additionalProperties"), join(prefix, "*"), out);
        }
        if (s.get("items") != null) {
            declaredPaths(root, s.get("items"), prefix + "[]", out);
        }
    }

    static void usedPaths(JsonNode root, JsonNode s, JsonNode node, String prefix, Set<String> out) {
        s = resolve(root, s);
        if (node.isObject()) {
            JsonNode props = s.get("properties");
            for (String k : node.propertyNames()) {
                if (props != null && props.has(k)) {
                    out.add(join(prefix, k));
                    usedPaths(root, props.get(k), node.get(k), join(prefix, k), out);
                } else if (s.get("additionalProperties") != null && s.get("additionalProperties").isObject()) {
                    usedPaths(root, s.get("additionalProperties"), node.get(k), join(prefix, "*"), out);
                }
            }
        } else if (node.isArray() && s.get("items") != null) {
            for (JsonNode item : node) {
                usedPaths(root, s.get("items"), item, prefix + "[]", out);
            }
        }
    }

    // ------------------------------------------------------------------ generated fixtures

    /** A valid plan padded with comment lines to exactly {@code size} bytes. */
    static Path padded(Path dir, String name, long size) throws IOException {
        byte[] plan = Files.readAllBytes(VALID.resolve("publish-bundle-standalone.yaml"));
        Path file = dir.resolve(name);
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(plan);
            long remaining = size - plan.length;
            byte[] line = ("#".repeat(99) + "\n").getBytes(StandardCharsets.US_ASCII);
            while (remaining >= line.length) {
                out.write(line);
                remaining -= line.length;
            }
            out.write("\n".repeat((int) remaining).getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(Files.size(file)).isEqualTo(size);
        return file;
    }

    @TestFactory
    Stream<DynamicTest> oversizedFilesAreRefusedBeforeParsing(@TempDir Path dir) {
        return Stream.of(YamlReader.MAX_BYTES + 1L, 10L * 1000 * 1000).map(size -> dynamicTest(size + " bytes", () -> {
            Path file = padded(dir, "big-" + size + ".yaml", size);
            LoadedPlan r = load(file, "big.yaml", Map.of());
            assertThat(r.errors()).as(listing(r)).hasSize(1);
            Problem p = r.errors().get(0);
            assertThat(p.kind()).isEqualTo(Problem.Kind.YAML);
            assertThat(p.toString()).isEqualTo("big.yaml:1:1: file is " + size + " bytes; a plan may be at most "
                    + YamlReader.MAX_BYTES + " bytes (1 MiB)");
        }));
    }

    @Test
    void aFileOfExactlyOneMebibyteIsRead(@TempDir Path dir) throws IOException {
        Path file = padded(dir, "one-mib.yaml", YamlReader.MAX_BYTES);
        LoadedPlan r = load(file, "one-mib.yaml", Map.of());
        assertThat(r.errors()).as(listing(r)).isEmpty();
    }

    @Test
    void aPlanThatIsNotUtf8IsRefusedWhereverItComesFrom(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "apiVersion: dr/v1\nkind: DrillPlan\nmetadata:\n  description: caf\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        LoadedPlan r = load(file, "latin1.yaml", Map.of());
        assertThat(r.errors()).as(listing(r)).hasSize(1);
        assertThat(r.errors().get(0).toString())
                .isEqualTo("latin1.yaml:4:19: not valid UTF-8 (byte 0xE9 at offset 62); save the plan as UTF-8");
    }
}
