package dev.dr.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dr.plan.FixtureCorpusTest.Fixture;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.source.Problem;
import dev.dr.testing.MissingTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The independent check of the plan schema: ajv (JavaScript, js-yaml) must agree with the
 * loader (Java, networknt) on which files the schema alone accepts. Plans and valid
 * fixtures are accepted; {@code kind: schema} fixtures are rejected, at the place the loader
 * names; {@code kind: semantic} and {@code kind: guard} fixtures are accepted, since only the
 * later layers can see what is wrong with them. {@code kind: yaml} fixtures are not plain
 * YAML by design and are left out.
 *
 * <p>ajv runs once for all files: {@code ajv validate --spec=draft2020 -c ajv-formats
 * -s schema/drill-plan.schema.json -d <file> -d <file> ... --errors=line}. ajv-cli 5 reads
 * .yaml data files itself (js-yaml), prints {@code <file> valid} on stdout or
 * {@code <file> invalid} and one line of JSON errors on stderr. Its output is kept under
 * target/ajv-agreement/.
 */
class AjvAgreementTest {

    static final String INSTALL = "npm install --prefix target/node ajv-cli@5 ajv-formats@3";
    static final Path PROJECT = FixtureCorpusTest.PROJECT;
    static final Path NPM = Path.of(System.getProperty("dr.npmDir", PROJECT.resolve("target/node").toString()));
    static final Path AJV = NPM.resolve("node_modules/.bin/ajv");
    static final Path OUT = PROJECT.resolve("target/ajv-agreement");
    private static final long TIMEOUT_SECONDS = 180;

    /** ajv's word on one file: valid, or its errors. */
    record Verdict(boolean valid, JsonNode errors) {}

    /** A file ajv checks, and whether the schema alone must accept it. */
    record Case(String file, boolean accept, String why, Fixture fixture) {}

    private static List<Case> cases;
    private static Map<String, Verdict> verdicts;
    private static List<String> otherStderr;
    private static String command;
    private static String missing;

    /** Fails on CI (CI=true), and skips elsewhere, when ajv is not installed. */
    static void requireAjv() {
        if (missing != null) {
            throw MissingTool.skipOrFail(missing);
        }
    }

    @BeforeAll
    static void runAjvOnce() throws Exception {
        if (!Files.isExecutable(AJV)) {
            missing = "ajv is not installed at " + AJV + "; run `" + INSTALL + "` in " + PROJECT;
            return;
        }
        cases = cases();
        List<String> cmd = new ArrayList<>(List.of(AJV.toString(), "validate", "--spec=draft2020",
                "-c", "ajv-formats", "-s", PROJECT.relativize(FixtureCorpusTest.SCHEMA).toString()));
        for (Case c : cases) {
            cmd.add("-d");
            cmd.add(c.file());
        }
        cmd.add("--errors=line");
        command = String.join(" ", cmd);
        Files.createDirectories(OUT);
        Path stdout = OUT.resolve("stdout.txt");
        Path stderr = OUT.resolve("stderr.txt");
        Files.writeString(OUT.resolve("command.txt"), command + "\n");
        Process p = new ProcessBuilder(cmd).directory(PROJECT.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("ajv did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        int exit = p.exitValue();
        parse(Files.readAllLines(stdout, StandardCharsets.UTF_8), Files.readAllLines(stderr, StandardCharsets.UTF_8));
        // 0: all valid, 1: some invalid; anything else (2: a data file it could not read) is no verdict
        assertThat(exit).as("exit code of %s%nstderr:%n%s", command, String.join("\n", otherStderr)).isIn(0, 1);
    }

    /** Every file of plans/, the valid fixtures, and the invalid ones that are plain YAML. */
    static List<Case> cases() {
        Map<String, Case> out = new LinkedHashMap<>();
        for (Path p : FixtureCorpusTest.plans()) {
            add(out, new Case(rel(p), true, "a plan of the project", null));
        }
        for (Fixture f : FixtureCorpusTest.validFixtures()) {
            add(out, new Case(rel(f.file()), true, "a valid fixture", f));
        }
        for (Fixture f : FixtureCorpusTest.invalidFixtures()) {
            if ("yaml".equals(f.kind())) {
                continue;
            }
            // the file ajv must judge is the one the error lives in (a base, for expect-file)
            String file = rel(FixtureCorpusTest.FIXTURES.resolve(f.errorFile()));
            boolean accept = !"schema".equals(f.kind());
            add(out, new Case(file, accept, "kind: " + f.kind() + " (" + f.display() + ")", f));
            if (accept) {
                // a semantic or guard fixture is schema-valid itself too, not only where its error is
                add(out, new Case(rel(f.file()), true, "kind: " + f.kind() + " (" + f.display() + ")", f));
            }
        }
        return List.copyOf(out.values());
    }

    private static void add(Map<String, Case> out, Case c) {
        Case before = out.putIfAbsent(c.file(), c);
        if (before != null && before.accept() != c.accept()) {
            throw new IllegalStateException(c.file() + " is " + before.why() + " and " + c.why());
        }
    }

    private static String rel(Path p) {
        String s = PROJECT.relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/');
        if (s.matches(".*[*?\\[\\]{}!].*")) {
            // ajv-cli expands -d arguments with glob magic; such a name would not be taken literally
            throw new IllegalStateException("file name with glob characters: " + s);
        }
        return s;
    }

    private static void parse(List<String> stdout, List<String> stderr) {
        verdicts = new LinkedHashMap<>();
        otherStderr = new ArrayList<>();
        JsonMapper json = JsonMapper.builder().build();
        for (String line : stdout) {
            if (line.endsWith(" valid")) {
                verdicts.put(line.substring(0, line.length() - " valid".length()), new Verdict(true, null));
            }
        }
        for (int i = 0; i < stderr.size(); i++) {
            String line = stderr.get(i);
            if (line.endsWith(" invalid") && i + 1 < stderr.size() && stderr.get(i + 1).startsWith("[")) {
                verdicts.put(line.substring(0, line.length() - " invalid".length()),
                        new Verdict(false, json.readTree(stderr.get(i + 1))));
                i++;
            } else if (!line.isBlank()) {
                otherStderr.add(line);
            }
        }
    }

    private static String verdictOf(Case c) {
        Verdict v = verdicts.get(c.file());
        if (v == null) {
            return "no verdict";
        }
        return v.valid() ? "valid" : "invalid " + v.errors();
    }

    // ------------------------------------------------------------------ the agreement

    @Test
    void ajvCompilesTheSchemaWithoutComplaint() {
        requireAjv();
        assertThat(otherStderr).as("stderr lines of ajv other than verdicts (strict mode warnings?); command: %s", command)
                .isEmpty();
        assertThat(cases).as("files given to ajv").hasSizeGreaterThanOrEqualTo(60);
        List<String> missing = cases.stream().map(Case::file).filter(f -> !verdicts.containsKey(f)).toList();
        assertThat(missing).as("files ajv gave no verdict on").isEmpty();
    }

    @Test
    void plansAndValidFixturesAreAcceptedByAjv() {
        requireAjv();
        List<String> refused = cases.stream().filter(c -> c.fixture() == null || c.fixture().valid())
                .filter(c -> !verdictOf(c).equals("valid"))
                .map(c -> c.file() + " (" + c.why() + "): " + verdictOf(c)).toList();
        assertThat(refused).as("plans and valid fixtures that ajv does not accept").isEmpty();
    }

    @Test
    void schemaFixturesAreRejectedByAjv() {
        requireAjv();
        List<Case> schema = cases.stream().filter(c -> !c.accept()).toList();
        assertThat(schema).as("kind: schema fixtures").hasSizeGreaterThanOrEqualTo(20);
        List<String> accepted = schema.stream().filter(c -> !verdictOf(c).startsWith("invalid"))
                .map(c -> c.file() + " (" + c.why() + "): " + verdictOf(c)).toList();
        assertThat(accepted).as("kind: schema fixtures that ajv does not reject (the schema and the loader disagree)")
                .isEmpty();
    }

    @Test
    void semanticAndGuardFixturesAreAcceptedByAjv() {
        requireAjv();
        List<Case> later = cases.stream().filter(c -> c.accept() && c.fixture() != null && !c.fixture().valid()).toList();
        assertThat(later).as("kind: semantic and guard fixtures").hasSizeGreaterThanOrEqualTo(20);
        List<String> refused = later.stream().filter(c -> !verdictOf(c).equals("valid"))
                .map(c -> c.file() + " (" + c.why() + "): " + verdictOf(c)).toList();
        assertThat(refused).as("semantic and guard fixtures that ajv refuses: their problem is a schema problem,"
                + " or they have a second one").isEmpty();
    }

    @Test
    void ajvPointsWhereTheLoaderPoints() {
        requireAjv();
        List<String> differ = new ArrayList<>();
        for (Case c : cases) {
            Verdict v = verdicts.get(c.file());
            if (c.accept() || v == null || v.valid()) {
                continue;
            }
            Fixture f = c.fixture();
            LoadedPlan r = FixtureCorpusTest.load(f.file(), f.display(), f.env());
            Problem first = r.errors().stream()
                    .filter(p -> p.kind() == Problem.Kind.SCHEMA && p.pos().file().equals(f.errorFile()))
                    .findFirst().orElse(null);
            String ajvPath = path(v.errors().get(0));
            String loaderPath = first == null ? "no SCHEMA problem" : first.path().toString();
            if (!ajvPath.equals(loaderPath)) {
                differ.add(c.file() + ": ajv " + ajvPath + " " + v.errors().get(0) + ", loader " + first);
            }
        }
        assertThat(differ).as("kind: schema fixtures where ajv's first error is not at the path of the loader's").isEmpty();
    }

    /** ajv's instancePath, plus the offending key for unknown keys and property names, as the loader spells paths. */
    static String path(JsonNode error) {
        StringBuilder sb = new StringBuilder();
        String pointer = error.path("instancePath").asString("");
        List<String> segments = new ArrayList<>();
        if (!pointer.isEmpty()) {
            for (String s : pointer.substring(1).split("/", -1)) {
                segments.add(s.replace("~1", "/").replace("~0", "~"));
            }
        }
        JsonNode extra = error.path("params").get("additionalProperty");
        if (extra == null) {
            extra = error.get("propertyName");
        }
        if (extra != null) {
            segments.add(extra.asString());
        }
        for (String s : segments) {
            if (s.matches("[0-9]+")) {
                sb.append('[').append(s).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(s);
            }
        }
        return sb.length() == 0 ? "(plan)" : sb.toString();
    }

    @Test
    void ajvPathsAreSpelledLikeTheLoaderSpellsThem() {
        JsonMapper json = JsonMapper.builder().build();
        assertThat(path(json.readTree("{\"instancePath\":\"/phases/0/steps/1/with\"}"))).isEqualTo("phases[0].steps[1].with");
        assertThat(path(json.readTree("{\"instancePath\":\"/run\",\"params\":{\"additionalProperty\":\"stopAftr\"}}")))
                .isEqualTo("run.stopAftr");
        assertThat(path(json.readTree("{\"instancePath\":\"/retry/phases\",\"propertyName\":\"restor\"}")))
                .isEqualTo("retry.phases.restor");
        assertThat(path(json.readTree("{\"instancePath\":\"\",\"params\":{\"missingProperty\":\"apiVersion\"}}")))
                .isEqualTo("(plan)");
    }
}
