package dev.dr.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.DrRun;
import dev.dr.json.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What makes a run a complete proof, or not, on variants of the whole drill's receipts: a promote
 * the plan did not request, a teardown that left runners, a run refused by a guard (no run.json),
 * a run that left only its run.json.
 */
class PartialRunsTest {

    @TempDir
    Path tmp;

    Path copy() throws Exception {
        Path src = ReportGoldenTest.PROJECT.resolve(ReportGoldenTest.FIXTURES + "complete");
        Path dst = tmp.resolve("run");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.toList()) {
                Path to = dst.resolve(src.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return dst;
    }

    static ObjectNode read(Path f) throws Exception {
        return (ObjectNode) JsonTrees.read(Files.readString(f, StandardCharsets.UTF_8));
    }

    static void write(Path f, JsonNode n) throws Exception {
        Files.writeString(f, n.toString(), StandardCharsets.UTF_8);
    }

    /** The phase skipped for {@code kind}, as dr apply records a skip: no attempts, no outputs, no time. */
    static void skip(Path run, String phase, String kind) throws Exception {
        Path f = run.resolve("phases/" + phase + ".json");
        ObjectNode p = read(f);
        p.put("status", "skipped");
        p.putObject("reason").put("kind", kind).put("detail", "skipped for the test");
        p.putArray("attempts");
        p.putObject("outputs");
        p.remove("approval");
        p.put("finishedAt", p.get("startedAt").asString());
        p.put("durationMs", 0);
        write(f, p);
    }

    JsonNode report() throws Exception {
        DrRun r = DrRun.in(tmp, Map.of(), "report", "run", "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = JsonTrees.read(r.out());
        assertThat(ReportGoldenTest.reportErrors(doc)).isEmpty();
        return doc;
    }

    String markdown() {
        DrRun r = DrRun.in(tmp, Map.of(), "report", "run");
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out();
    }

    @Test
    void aPromoteThePlanDidNotRequestLeavesTheProofComplete() throws Exception {
        skip(copy(), "promote", "promote-not-requested");
        JsonNode doc = report();
        assertThat(doc.get("complete").asBoolean()).as(doc.get("gaps").toString()).isTrue();
        assertThat(doc.get("approval").get("mode").asString()).isEqualTo("none");
        assertThat(markdown()).contains("- **Approval**: promote skipped (promote-not-requested), no approval recorded")
                .doesNotContain("promote skipped :");
    }

    @Test
    void aPromoteCutOffByStopAfterIsAGap() throws Exception {
        Path run = copy();
        skip(run, "promote", "after-stop-after");
        skip(run, "teardown", "after-stop-after");
        JsonNode doc = report();
        assertThat(doc.get("complete").asBoolean()).isFalse();
        assertThat(doc.get("gaps").toString()).contains("Phase promote skipped (after-stop-after")
                .contains("Phase teardown skipped (after-stop-after");
        assertThat(doc.get("teardown").get("runnersLeft").isNull()).isTrue();
        assertThat(markdown()).contains("**Partial run: not a complete proof.**")
                .contains("- **Teardown**: skipped (after-stop-after: skipped for the test), runners not counted");
    }

    @Test
    void aTeardownThatCountedRunnersLeftIsAGap() throws Exception {
        Path f = copy().resolve("phases/teardown.json");
        ObjectNode p = read(f);
        ((ObjectNode) p.get("outputs")).put("runners.left", "2");
        write(f, p);
        JsonNode doc = report();
        assertThat(doc.get("complete").asBoolean()).isFalse();
        assertThat(doc.get("teardown").get("runnersLeft").asInt()).isEqualTo(2);
        assertThat(doc.get("gaps").toString()).contains("Teardown left 2 DR runners.");
        assertThat(markdown()).contains("- **Teardown**: 2 DR runners left");
    }

    @Test
    void aRunAGuardRefusedHasNoRunJsonAndStillReports() throws Exception {
        Path run = copy();
        Files.delete(run.resolve("run.json"));
        ObjectNode summary = read(run.resolve("drill.summary.json"));
        summary.put("verdict", "failed");
        write(run.resolve("drill.summary.json"), summary);
        Path f = run.resolve("phases/bringup.json");
        ObjectNode p = read(f);
        p.put("status", "failed");
        p.putObject("reason").put("kind", "guard").put("detail", "account: sts:GetCallerIdentity: no credentials");
        p.putArray("attempts");
        p.putObject("outputs");
        write(f, p);
        for (String phase : new String[] {"restore", "validate", "promote", "teardown"}) {
            skip(run, phase, "upstream-failed");
        }
        JsonNode doc = report();
        assertThat(doc.get("verdict").asString()).isEqualTo("failed");
        assertThat(doc.get("startedAt").asString()).as("from the summary").isEqualTo(summary.get("startedAt").asString());
        assertThat(doc.get("bundle").isNull()).isTrue();
        assertThat(doc.get("gaps").get(0).asString()).isEqualTo("Phase bringup failed (guard: account: sts:GetCallerIdentity: no credentials).");
        assertThat(markdown()).contains("bringup failed :crit, p1, ");
    }

    @Test
    void aRunThatLeftOnlyItsRunJson() throws Exception {
        Path run = copy();
        try (Stream<Path> files = Files.list(run.resolve("phases"))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(run.resolve("drill.summary.json"));
        JsonNode doc = report();
        assertThat(doc.get("verdict").asString()).isEqualTo("unfinished");
        assertThat(doc.get("phases")).isEmpty();
        assertThat(doc.get("rto").get("wallTimeMs").isNull()).isTrue();
        assertThat(doc.get("gaps").toString()).contains("The run did not end").contains("No phase finished");
        assertThat(markdown()).contains("No phase receipts.").doesNotContain("```mermaid");
    }
}
