package dev.dr.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.dr.cli.DrRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every plan-diff dr prints (each plan in plans/, and the override combinations operators use)
 * is valid against schema/plan-diff.schema.json, the schema rejects documents that break the
 * contract, and planDigest is the SHA-256 of the canonical document without it.
 */
public class PlanDiffSchemaTest {

    static final Path PROJECT = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath().normalize();
    static final Path SCHEMA_FILE = PROJECT.resolve("schema/plan-diff.schema.json");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    static JsonNode schemaJson;
    static Schema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        schemaJson = JSON.readTree(Files.readString(SCHEMA_FILE, StandardCharsets.UTF_8));
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaJson);
    }

    /** One dr plan command line, the environment it runs with and the exit code it must give. */
    record Case(String label, Map<String, String> env, int exit, List<String> args) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Case plan(int exit, String... args) {
        return new Case(String.join(" ", args), Map.of(), exit, List.of(args));
    }

    static Case withEnv(Map<String, String> env, String... args) {
        return new Case(String.join(" ", args) + " with " + new TreeMap<>(env).keySet(), env, 0, List.of(args));
    }

    static List<String> planFiles() throws IOException {
        try (Stream<Path> s = Files.list(PROJECT.resolve("plans"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .map(p -> "plans/" + p.getFileName()).sorted().toList();
        }
    }

    static Stream<Case> cases() throws IOException {
        List<Case> all = new ArrayList<>();
        for (String file : planFiles()) {
            all.add(plan(0, file));
        }
        all.add(plan(0, "plans/full-drill.yaml", "--stop-after", "restore"));
        all.add(plan(0, "plans/full-drill.yaml", "--no-retry"));
        all.add(plan(0, "plans/full-drill.yaml", "--max-attempts", "2", "--receipt-dir", "out/receipts"));
        // a refused guard exits 3 but still prints the plan-diff: every phase skipped, one guard
        all.add(plan(3, "plans/full-drill.yaml", "--allow-full-drill=false"));
        // promote runs, with a recorded bypass and with dr approve
        all.add(plan(0, "plans/full-drill.yaml", "--auto-promote", "--allow-promote-bypass"));
        all.add(plan(0, "plans/full-drill.yaml", "--auto-promote"));
        all.add(plan(0, "plans/failback.yaml", "--start-at", "promote", "--auto-promote"));
        all.add(plan(0, "plans/bringup-only.yaml", "--stop-after", "restore"));
        all.add(plan(0, "plans/teardown.yaml", "--teardown=false"));
        // a warning (bypass without autoPromote)
        all.add(plan(0, "plans/restore-only.yaml", "--allow-promote-bypass"));
        // the flag that allowed the full drill is a variable
        all.add(withEnv(Map.of("ALLOW_FULL_DRILL", "1"), "plans/full-drill.yaml", "--stop-after", "validate"));
        // the runbook's knobs set: values with their sources, a retry budget built from variables
        all.add(withEnv(Map.of("DR_VALIDATE_MAX_RETRIES", "4", "DR_VALIDATE_RETRY_BACKOFF_SECONDS", "20",
                "TF_VAR_instance_type", "t4g.large", "NAMESPACE", "jobintel"), "plans/validate-only.yaml"));
        // every variable set: no (unset: VAR) placeholders, a ticket
        all.add(withEnv(Map.of(
                "IMAGE_REF", "123456789012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:" + "ab".repeat(32),
                "BACKUP_URI", "s3://dr-artifacts/jobintel/backups/2024-06-01T00-00-00Z",
                "BUCKET", "dr-artifacts",
                "CHANGE_TICKET", "CHG-1234",
                "BRINGUP_RECEIPT", "receipts/r-1"), "plans/validate-only.yaml"));
        return all.stream();
    }

    /** Runs dr in-process and parses the plan-diff it prints on stdout. */
    static ObjectNode planDiff(Case c) {
        List<String> argv = new ArrayList<>(List.of("plan"));
        argv.add(c.args().get(0));
        argv.addAll(List.of("--format", "json"));
        argv.addAll(c.args().subList(1, c.args().size()));
        DrRun r = DrRun.in(PROJECT, c.env(), argv.toArray(String[]::new));
        assertThat(r.exit()).as("exit code of dr %s; stderr: %s", String.join(" ", argv), r.err()).isEqualTo(c.exit());
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.isObject()).as("stdout of dr %s is a JSON object", String.join(" ", argv)).isTrue();
        return (ObjectNode) doc;
    }

    static List<String> errors(JsonNode doc) {
        return schema.validate(doc).stream().map(Error::toString).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyPlanDiffIsValidAgainstTheSchema(Case c) {
        ObjectNode doc = planDiff(c);
        assertThat(errors(doc)).as("schema errors of the plan-diff of %s", c).isEmpty();
    }

    @Test
    void theOverrideCasesReachTheBranchesOfTheSchema() {
        ObjectNode refused = planDiff(plan(3, "plans/full-drill.yaml", "--allow-full-drill=false"));
        assertThat(refused.get("phases").valueStream().map(p -> p.get("decision").asString())).containsOnly("skip");
        assertThat(refused.get("phases").valueStream().map(p -> p.get("reason").get("kind").asString()))
                .containsOnly("full-drill-not-allowed");
        assertThat(refused.get("guards").valueStream().map(g -> g.get("verdict").asString())).containsExactly("refused");

        ObjectNode bypass = planDiff(plan(0, "plans/full-drill.yaml", "--auto-promote", "--allow-promote-bypass"));
        JsonNode promote = phase(bypass, "promote");
        assertThat(promote.get("decision").asString()).isEqualTo("run");
        assertThat(promote.get("approval").get("mode").asString()).isEqualTo("bypass-recorded");

        ObjectNode approve = planDiff(plan(0, "plans/full-drill.yaml", "--auto-promote"));
        assertThat(phase(approve, "promote").get("approval").get("mode").asString()).isEqualTo("dr-approve");
    }

    static JsonNode phase(JsonNode doc, String name) {
        return doc.get("phases").valueStream().filter(p -> p.get("name").asString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no phase " + name));
    }

    static Stream<Arguments> brokenDocuments() {
        Map<String, Consumer<ObjectNode>> broken = new LinkedHashMap<>();
        broken.put("planDigest removed", d -> d.remove("planDigest"));
        broken.put("a decision of maybe", d -> ((ObjectNode) d.get("phases").get(0)).put("decision", "maybe"));
        broken.put("planDigest not lower-case hex", d -> d.put("planDigest", DIGEST.toUpperCase(java.util.Locale.ROOT)));
        broken.put("formatVersion 2", d -> d.put("formatVersion", 2));
        broken.put("an unknown reason kind", d -> skip((ObjectNode) d.get("phases").get(0), "because"));
        broken.put("a running phase with a reason", d -> ((ObjectNode) d.get("phases").get(0)).putObject("reason")
                .put("kind", "validate-only").put("detail", ""));
        broken.put("a skipped phase that keeps its steps", d -> ((ObjectNode) d.get("phases").get(0))
                .put("decision", "skip").putObject("reason").put("kind", "validate-only").put("detail", ""));
        broken.put("a running phase without retry", d -> ((ObjectNode) d.get("phases").get(0)).remove("retry"));
        broken.put("approval on bringup", d -> ((ObjectNode) d.get("phases").get(0)).putObject("approval")
                .put("mode", "none").put("ticketRequired", false).put("timeout", "none"));
        broken.put("an unknown guard verdict", d -> ((ObjectNode) d.get("guards").get(0)).put("verdict", "maybe"));
        broken.put("an unknown change action", d -> ((ObjectNode) d.get("phases").get(0).get("steps").get(0)
                .get("changes").get(0)).put("action", "replace"));
        broken.put("an unknown preview kind", d -> ((ObjectNode) d.get("phases").get(0).get("steps").get(0))
                .put("preview", "guessed"));
        broken.put("an extra top-level key", d -> d.put("generatedAt", "2024-06-01T00:00:00Z"));
        broken.put("an extra key in summary", d -> ((ObjectNode) d.get("summary")).put("phases", 5));
        broken.put("a timeout in words", d -> ((ObjectNode) d.get("phases").get(0)).put("timeout", "30 minutes"));
        return broken.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    static void skip(ObjectNode phase, String kind) {
        for (String k : List.of("retry", "timeout", "steps", "approval")) {
            phase.remove(k);
        }
        phase.put("decision", "skip");
        phase.putObject("reason").put("kind", kind).put("detail", "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenDocuments")
    void theSchemaRejects(String what, Consumer<ObjectNode> breakIt) {
        ObjectNode valid = planDiff(plan(0, "plans/full-drill.yaml"));
        assertThat(errors(valid)).isEmpty();
        ObjectNode doc = valid.deepCopy();
        breakIt.accept(doc);
        assertThat(doc).isNotEqualTo(valid);
        assertThat(errors(doc)).as("schema errors for %s", what).isNotEmpty();
    }

    @Test
    void theSchemaAcceptsASkippedPhaseOfEveryReasonKind() {
        ObjectNode valid = planDiff(plan(0, "plans/full-drill.yaml"));
        for (JsonNode kind : schemaJson.get("$defs").get("reason").get("properties").get("kind").get("enum")) {
            ObjectNode doc = valid.deepCopy();
            skip((ObjectNode) doc.get("phases").get(0), kind.asString());
            assertThat(errors(doc)).as("schema errors for a phase skipped with %s", kind).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void planDigestIsTheSha256OfTheCanonicalDocumentWithoutIt(Case c) throws Exception {
        ObjectNode doc = planDiff(c);
        String digest = doc.get("planDigest").asString();
        ObjectNode without = doc.deepCopy();
        without.remove("planDigest");
        // the AWS guards' verdicts are live checks of who asks: the digest leaves them out
        for (JsonNode g : without.get("guards")) {
            if (java.util.Set.of("account", "region", "image-digest", "instance-arch").contains(g.get("name").asString())) {
                ((ObjectNode) g).remove("verdict");
                ((ObjectNode) g).remove("detail");
            }
        }
        assertThat(Canonical.sha256(without)).isEqualTo(digest);
        // the same from the definition: keys sorted at every level, no whitespace, UTF-8
        byte[] canonical = JSON.writeValueAsString(sortedPlain(without)).getBytes(StandardCharsets.UTF_8);
        String independent = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        assertThat(independent).isEqualTo(digest);
    }

    /** The tree as plain maps (sorted) and lists, so the digest does not rest on Canonical alone. */
    static Object sortedPlain(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new TreeMap<>();
            n.properties().forEach(e -> m.put(e.getKey(), sortedPlain(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(sortedPlain(x)));
            return l;
        }
        return n;
    }

    @Test
    void planDigestChangesWithThePlanDiff() {
        String plain = planDiff(plan(0, "plans/full-drill.yaml")).get("planDigest").asString();
        String stopped = planDiff(plan(0, "plans/full-drill.yaml", "--stop-after", "restore")).get("planDigest").asString();
        assertThat(stopped).isNotEqualTo(plain);
        assertThat(planDiff(plan(0, "plans/full-drill.yaml")).get("planDigest").asString()).isEqualTo(plain);
    }

    @Test
    void theSchemaFollowsTheHouseRules() {
        assertThat(schemaJson.get("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schemaJson.get("$id").asString()).isEqualTo("urn:dr:schema:plan-diff:v1");
        String top = schemaJson.get("description").asString();
        assertThat(top).contains(".planDigest", ".phases[].name", ".phases[].decision", ".phases[].reason.kind");
        List<String> problems = new ArrayList<>();
        walk(schemaJson, "#", problems);
        assertThat(problems).isEmpty();
    }

    /**
     * Every property has a description (where it is declared, not where if/then/else constrain
     * it), no format keyword, every schema with object keywords names its type (ajv strict mode),
     * and every object schema is closed with additionalProperties: false; the maps, step
     * settings and the sources of values (plan paths to variables), have dynamic keys by design.
     */
    public static void walk(JsonNode n, String at, List<String> problems) {
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                walk(n.get(i), at + "/" + i, problems);
            }
            return;
        }
        if (!n.isObject()) {
            return;
        }
        if (n.has("format")) {
            problems.add(at + ": format keyword");
        }
        // if/then/else only constrain properties described where they are declared
        boolean conditional = at.endsWith("/if") || at.endsWith("/then") || at.endsWith("/else");
        if (n.get("properties") instanceof ObjectNode props && !conditional) {
            props.properties().forEach(e -> {
                if (!e.getValue().has("description")) {
                    problems.add(at + "/properties/" + e.getKey() + ": no description");
                }
            });
        }
        boolean objectKeywords = n.has("properties") || n.has("required") || n.has("additionalProperties");
        if (objectKeywords && !conditional && !n.has("type")) {
            problems.add(at + ": object keywords without type");
        }
        boolean map = at.endsWith("/properties/settings") || at.equals("#/properties/sources")
                || at.equals("#/$defs/variables");
        if (isObjectType(n.get("type")) && !map
                && !(n.get("additionalProperties") != null && n.get("additionalProperties").isBoolean()
                && !n.get("additionalProperties").asBoolean())) {
            problems.add(at + ": object without additionalProperties: false");
        }
        n.properties().forEach(e -> {
            if (!e.getKey().equals("enum") && !e.getKey().equals("const")) {
                walk(e.getValue(), at + "/" + e.getKey(), problems);
            }
        });
    }

    static boolean isObjectType(JsonNode type) {
        if (type == null) {
            return false;
        }
        if (type instanceof ArrayNode a) {
            return a.valueStream().anyMatch(t -> t.asString().equals("object"));
        }
        return type.asString().equals("object");
    }

    @Test
    void theSchemaIsOnTheClassPathAsTheJbangScriptGetsIt() throws IOException {
        try (InputStream in = PlanDiffSchemaTest.class.getClassLoader().getResourceAsStream("schema/plan-diff.schema.json")) {
            assertThat(in).as("schema/plan-diff.schema.json on the class path").isNotNull();
            assertThat(JSON.readTree(in)).isEqualTo(schemaJson);
        }
        List<String> files = Files.readAllLines(PROJECT.resolve("runner/dr.java"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("//FILES ")).toList();
        assertThat(files).as("//FILES lines of runner/dr.java").anyMatch(l -> l.equals("//FILES schema/=../schema/**")
                || l.equals("//FILES schema/plan-diff.schema.json=../schema/plan-diff.schema.json"));
    }

    /** ajv in strict mode, when .ci/run has installed it (target/node); skipped otherwise. */
    @Test
    void ajvCompilesTheSchemaInStrictMode() throws Exception {
        Path ajv = Path.of(System.getProperty("dr.npmDir", PROJECT.resolve("target/node").toString()))
                .resolve("node_modules/.bin/ajv");
        assumeTrue(Files.isExecutable(ajv), "ajv-cli is not installed in " + ajv.getParent());
        Process p = new ProcessBuilder(ajv.toString(), "compile", "--spec=draft2020", "--strict=true",
                "-s", SCHEMA_FILE.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ajv finished").isTrue();
        assertThat(p.exitValue()).as("ajv compile --strict=true: %s", output).isZero();
    }
}
