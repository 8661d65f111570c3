package dev.dr.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.dr.cli.CliProcess;
import dev.dr.cli.DrRun;
import dev.dr.diff.PlanDiffSchemaTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every document dr diff --format json prints for the fixtures is valid against
 * schema/plan-change.schema.json, and the schema refuses documents that break the contract.
 */
class PlanChangeSchemaTest {

    static final Path SCHEMA_FILE = CliProcess.projectDir().resolve("schema/plan-change.schema.json");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static JsonNode schemaJson;
    static Schema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        schemaJson = JSON.readTree(Files.readString(SCHEMA_FILE, StandardCharsets.UTF_8));
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaJson);
    }

    static List<String> errors(JsonNode doc) {
        return schema.validate(doc).stream().map(Error::toString).toList();
    }

    static Stream<DiffGoldenTest.Case> cases() {
        return DiffGoldenTest.CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyFixtureDiffIsValid(DiffGoldenTest.Case c) {
        assertThat(errors(DiffGoldenTest.json(c))).isEmpty();
    }

    /** The sides that exist only with --git: a new plan and a removed one. */
    @Test
    void absentSidesAreValid(@TempDir Path tmp) throws Exception {
        assumeTrue(GitRepo.gitAvailable(), "git is not on PATH");
        GitRepo repo = GitRepo.init(tmp).put("base.yaml", "plans/base.yaml").put("stop-after-validate.yaml", "plans/a.yaml")
                .commit("plans");
        repo.put("stop-after-promote.yaml", "plans/b.yaml");
        Files.delete(tmp.resolve("plans/a.yaml"));
        for (String file : List.of("plans/a.yaml", "plans/b.yaml")) {
            DrRun r = DrRun.in(tmp, Map.of(), "diff", "--git", "HEAD", file, "--format", "json");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(errors(JSON.readTree(r.out()))).as(file).isEmpty();
        }
    }

    static Stream<Arguments> brokenDocuments() {
        Map<String, Consumer<ObjectNode>> broken = new LinkedHashMap<>();
        broken.put("formatVersion 2", d -> d.put("formatVersion", 2));
        broken.put("an extra top-level key", d -> d.put("generatedAt", "2024-06-01T00:00:00Z"));
        broken.put("a planDigest not in hex", d -> ((ObjectNode) d.get("old")).put("planDigest", "sha256:xyz"));
        broken.put("an unknown section", d -> change(d).put("section", "metadata"));
        broken.put("an unknown kind of change", d -> change(d).put("change", "moved"));
        broken.put("a change without field", d -> change(d).remove("field"));
        broken.put("an added change with a before", d -> change(d).put("change", "added"));
        broken.put("a quiet target change", d -> change(d).put("section", "target"));
        broken.put("a loud run change", d -> change(d).put("loud", true));
        broken.put("a decision of maybe", d -> ((ObjectNode) d.get("phases").get(0)).put("old", "maybe"));
        broken.put("an unknown skip reason", d -> ((ObjectNode) d.get("phases").get(0)).put("old", "skip: because"));
        broken.put("summary without hasChanges", d -> ((ObjectNode) d.get("summary")).remove("hasChanges"));
        return broken.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    static ObjectNode change(ObjectNode d) {
        return (ObjectNode) d.get("changes").get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenDocuments")
    void theSchemaRejects(String what, Consumer<ObjectNode> breakIt) {
        ObjectNode valid = (ObjectNode) DiffGoldenTest.json(DiffGoldenTest.named("stop-after"));
        assertThat(errors(valid)).isEmpty();
        ObjectNode doc = valid.deepCopy();
        breakIt.accept(doc);
        assertThat(doc).isNotEqualTo(valid);
        assertThat(errors(doc)).as("schema errors for %s", what).isNotEmpty();
    }

    /** The plan-diff schema's house rules: every property described, every object closed, no format keyword. */
    @Test
    void theSchemaFollowsTheHouseRules() {
        assertThat(schemaJson.get("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schemaJson.get("$id").asString()).isEqualTo("urn:dr:schema:plan-change:v1");
        List<String> problems = new ArrayList<>();
        PlanDiffSchemaTest.walk(schemaJson, "#", problems);
        assertThat(problems).isEmpty();
    }

    /** ajv in strict mode, when .ci/run has installed it (target/node); skipped otherwise. */
    @Test
    void ajvCompilesTheSchemaInStrictModeAndAgreesOnTheGoldenFiles() throws Exception {
        Path ajv = Path.of(System.getProperty("dr.npmDir", CliProcess.projectDir().resolve("target/node").toString()))
                .resolve("node_modules/.bin/ajv");
        assumeTrue(Files.isExecutable(ajv), "ajv-cli is not installed in " + ajv.getParent());
        List<String> cmd = new ArrayList<>(List.of(ajv.toString(), "validate", "--spec=draft2020", "--strict=true",
                "-s", SCHEMA_FILE.toString()));
        try (Stream<Path> s = Files.list(DiffGoldenTest.GOLDEN)) {
            s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(p -> cmd.addAll(List.of("-d", p.toString())));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ajv finished").isTrue();
        assertThat(p.exitValue()).as("ajv validate --strict=true: %s", output).isZero();
    }
}
