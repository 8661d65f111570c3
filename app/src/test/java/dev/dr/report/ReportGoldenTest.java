package dev.dr.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.dr.cli.CliProcess;
import dev.dr.cli.DrRun;
import dev.dr.cli.Goldens;
import dev.dr.diff.PlanDiffSchemaTest;
import dev.dr.json.JsonTrees;
import dev.dr.testing.MissingTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * dr report on checked-in receipt folders, byte for byte against golden files: a whole sandbox
 * drill (its receipts as the drill wrote them, with the receipt folder's absolute paths made
 * relative), a run whose restore failed, and a run killed before teardown that reused an earlier
 * run. The fixtures are true receipts (schema/receipt.schema.json); the JSON reports are valid
 * against schema/report.schema.json. Rewrite the goldens with -Ddr.updateGoldens=true.
 */
class ReportGoldenTest {

    static final Path PROJECT = CliProcess.projectDir();
    static final String FIXTURES = "app/src/test/resources/report/";
    static final List<String> RUNS = List.of("complete", "restore-failed", "killed");

    static JsonNode json(Path p) throws Exception {
        return JsonTrees.read(Files.readString(p, StandardCharsets.UTF_8));
    }

    static Schema schema(String file) throws Exception {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(json(PROJECT.resolve(file)));
    }

    static List<String> reportErrors(JsonNode doc) throws Exception {
        return schema("schema/report.schema.json").validate(doc).stream().map(Error::toString).toList();
    }

    static Path golden(String run, String format) {
        return PROJECT.resolve(FIXTURES + run + (format.equals("json") ? ".json" : ".md"));
    }

    static Stream<Arguments> cases() {
        return RUNS.stream().flatMap(r -> Stream.of(Arguments.of(r, "markdown"), Arguments.of(r, "json")));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cases")
    void rendersTheGolden(String run, String format) throws Exception {
        DrRun r = DrRun.inProject(Map.of(), "report", FIXTURES + run, "--format", format);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        Goldens.assertMatches(golden(run, format), r.out());
    }

    @Test
    void markdownIsTheDefault() throws Exception {
        DrRun r = DrRun.inProject(Map.of(), "report", FIXTURES + "complete");
        assertThat(r.out()).isEqualTo(Goldens.read(golden("complete", "markdown")));
    }

    /** The same bytes from a fresh JVM in a far time zone and the Turkish locale. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"markdown", "json"})
    void sameBytesInAFarTimeZoneAndTheTurkishLocale(String format) throws Exception {
        requireTurkishLocale();
        for (String run : RUNS) {
            CliProcess.Result r = CliProcess.run(CliProcess.classesDir(), Goldens.FOREIGN_ENV, Goldens.FOREIGN_JVM,
                    "report", FIXTURES + run, "--format", format);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).as("%s as %s under TZ=Pacific/Chatham, LC_ALL=tr_TR.UTF-8", run, format)
                    .isEqualTo(Goldens.read(golden(run, format)));
        }
    }

    static void requireTurkishLocale() throws Exception {
        Process p = new ProcessBuilder("locale", "-a").redirectErrorStream(true).start();
        String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
        p.waitFor();
        if (!all.contains("tr_tr.utf8")) {
            throw MissingTool.skipOrFail("the tr_TR.UTF-8 locale is not installed here; .ci/run installs it"
                    + " (apt-get install locales && localedef -i tr_TR -f UTF-8 tr_TR.UTF-8)");
        }
    }

    @Test
    void whatTheReportsSay() throws Exception {
        JsonNode complete = json(golden("complete", "json"));
        assertThat(complete.get("complete").asBoolean()).isTrue();
        assertThat(complete.get("gaps")).isEmpty();
        assertThat(complete.get("validation").get("attempts").asInt()).isEqualTo(2);
        assertThat(complete.get("approval").get("mode").asString()).isEqualTo("bypass-recorded");
        assertThat(complete.get("teardown").get("runnersLeft").asInt()).isZero();
        assertThat(complete.get("bundle").get("sha256").asString())
                .isEqualTo(json(PROJECT.resolve(FIXTURES + "complete/phases/restore.json")).get("outputs")
                        .get("control-plane.bundle.sha256").asString());
        long sum = 0;
        for (JsonNode p : json(PROJECT.resolve(FIXTURES + "complete/drill.summary.json")).get("phases")) {
            sum += p.get("durationMs").asLong();
        }
        assertThat(complete.get("rto").get("phaseTotalMs").asLong()).isEqualTo(sum);

        JsonNode failed = json(golden("restore-failed", "json"));
        assertThat(failed.get("complete").asBoolean()).isFalse();
        assertThat(failed.get("verdict").asString()).isEqualTo("failed");
        assertThat(failed.get("gaps").toString()).contains("Phase restore failed").contains("Phase teardown skipped");
        assertThat(failed.get("teardown").get("runnersLeft").isNull()).isTrue();

        JsonNode killed = json(golden("killed", "json"));
        assertThat(killed.get("verdict").asString()).isEqualTo("unfinished");
        assertThat(killed.get("teardown").isNull()).isTrue();
        assertThat(killed.get("reusedRun").asString()).isEqualTo("up");
        assertThat(killed.get("approval").get("ticket").asString()).isEqualTo("CHG-1234");
        assertThat(Goldens.read(golden("killed", "markdown"))).contains("**Partial run: not a complete proof.**")
                .contains("The run did not end").contains("Teardown did not run in this run");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void theFixturesAreTrueReceipts(String run) throws Exception {
        Schema receipts = schema("schema/receipt.schema.json");
        try (Stream<Path> files = Files.walk(PROJECT.resolve(FIXTURES + run))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".json")).toList()) {
                assertThat(receipts.validate(json(f))).as(f.toString()).isEmpty();
            }
        }
    }

    static Stream<String> runs() {
        return RUNS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void theJsonReportsAreValid(String run) throws Exception {
        assertThat(reportErrors(json(golden(run, "json")))).isEmpty();
    }

    static Stream<Arguments> brokenReports() {
        Map<String, Consumer<ObjectNode>> broken = new LinkedHashMap<>();
        broken.put("formatVersion 2", d -> d.put("formatVersion", 2));
        broken.put("an extra key", d -> d.put("generatedAt", "2026-12-07T00:00:00Z"));
        broken.put("a verdict of maybe", d -> d.put("verdict", "maybe"));
        broken.put("no rto", d -> d.remove("rto"));
        broken.put("a bundle hash not in hex", d -> ((ObjectNode) d.get("bundle")).put("sha256", "xyz"));
        broken.put("a negative runner count", d -> ((ObjectNode) d.get("teardown")).put("runnersLeft", -1));
        broken.put("an unknown phase", d -> ((ObjectNode) d.get("phases").get(0)).put("name", "warmup"));
        broken.put("a time with an offset", d -> ((ObjectNode) d.get("phases").get(0)).put("startedAt", "2026-12-07T19:35:40+13:45"));
        return broken.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenReports")
    void theSchemaRejects(String what, Consumer<ObjectNode> breakIt) throws Exception {
        ObjectNode doc = (ObjectNode) json(golden("complete", "json"));
        breakIt.accept(doc);
        assertThat(reportErrors(doc)).as(what).isNotEmpty();
    }

    @Test
    void theSchemaFollowsTheHouseRules() throws Exception {
        JsonNode s = json(PROJECT.resolve("schema/report.schema.json"));
        assertThat(s.get("$id").asString()).isEqualTo("urn:dr:schema:report:v1");
        List<String> problems = new ArrayList<>();
        PlanDiffSchemaTest.walk(s, "#", problems);
        assertThat(problems).isEmpty();
    }
}
