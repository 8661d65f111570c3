package dev.dr.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.CliProcess;
import dev.dr.cli.Goldens;
import dev.dr.json.JsonTrees;
import dev.dr.sandbox.SandboxProcesses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * dr report on the receipts of a real sandbox drill (examples/sandbox/drill.yaml applied by the
 * built CLI, as SandboxDrillTest does): a complete proof whose facts are the receipts', whose
 * timeline Mermaid reads, and whose bytes do not depend on the time zone or locale of the machine
 * that renders it. What varies between drills (run id, times, hashes) is compared with the
 * receipts, not with a golden; the goldens of ReportGoldenTest pin the layout.
 */
class ReportFromSandboxDrillTest {

    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void drill() throws Exception {
        CliProcess.Result r = CliProcess.run(CliProcess.classesDir(), Map.of("RECEIPT_DIR", tmp.resolve("receipts").toString(),
                "DR_LOCK_DIR", tmp.resolve("locks").toString(), "DR_OPERATOR", "tester", "RUN_ID", "proof"), List.of(),
                "apply", "examples/sandbox/drill.yaml", "--yes");
        assertThat(r.exit()).as(r.err()).isZero();
        run = tmp.resolve("receipts/proof");
    }

    @AfterAll
    static void noSandboxLeft() {
        SandboxProcesses.under(tmp.toString()).forEach(ProcessHandle::destroy);
    }

    static CliProcess.Result report(Map<String, String> env, List<String> jvm, String format) throws Exception {
        CliProcess.Result r = CliProcess.run(CliProcess.classesDir(), env, jvm, "report", run.toString(), "--format", format);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return r;
    }

    static JsonNode receipt(String file) throws Exception {
        return JsonTrees.read(Files.readString(run.resolve(file), StandardCharsets.UTF_8));
    }

    @Test
    void theJsonReportIsACompleteProofOfTheReceipts() throws Exception {
        JsonNode doc = JsonTrees.read(report(Map.of(), List.of(), "json").out());
        assertThat(ReportGoldenTest.reportErrors(doc)).isEmpty();
        assertThat(doc.get("complete").asBoolean()).as(doc.get("gaps").toString()).isTrue();
        assertThat(doc.get("verdict").asString()).isEqualTo("success");
        assertThat(doc.get("runId").asString()).isEqualTo("proof");
        assertThat(doc.get("phases")).hasSize(5);
        doc.get("phases").forEach(p -> assertThat(p.get("status").asString()).as(p.get("name").asString()).isEqualTo("success"));
        JsonNode restored = receipt("phases/restore.json").get("outputs");
        assertThat(doc.get("bundle").get("uri").asString()).isEqualTo(restored.get("control-plane.bundle.uri").asString());
        assertThat(doc.get("bundle").get("sha256").asString()).matches("[0-9a-f]{64}")
                .isEqualTo(restored.get("control-plane.bundle.sha256").asString());
        assertThat(doc.get("validation").get("status").asString()).isEqualTo("success");
        assertThat(doc.get("validation").get("job").asString()).isEqualTo("jobintel/jobintel-validate");
        assertThat(doc.get("approval").get("mode").asString()).isEqualTo("bypass-recorded");
        assertThat(doc.get("teardown").get("runnersLeft").asInt()).isZero();
        JsonNode summary = receipt("drill.summary.json");
        assertThat(doc.get("planDigest").asString()).isEqualTo(summary.get("planDigest").asString());
        long sum = 0;
        for (JsonNode p : summary.get("phases")) {
            sum += p.get("durationMs").asLong();
        }
        assertThat(doc.get("rto").get("phaseTotalMs").asLong()).isEqualTo(sum);
    }

    @Test
    void theMarkdownReportCarriesTheEvidenceAndATimelineMermaidReads() throws Exception {
        String md = report(Map.of(), List.of(), "markdown").out();
        String sha = receipt("phases/restore.json").get("outputs").get("control-plane.bundle.sha256").asString();
        assertThat(md).startsWith("# DR proof: sandbox-drill, run `proof`\n")
                .contains("**Complete drill**")
                .contains("sha256 `" + sha + "` (restore)")
                .contains("- **Teardown**: 0 DR runners left")
                .contains("```mermaid\ngantt\n");
        for (String phase : List.of("bringup", "restore", "validate", "promote", "teardown")) {
            assertThat(md).contains("| " + phase + " | success | 1 |");
        }
        MermaidCheck.assertBarsAreThePhases(MermaidCheck.tasks(MermaidCheck.block(md), tmp), run);
    }

    @Test
    void theSameBytesInAFarTimeZoneAndTheTurkishLocale() throws Exception {
        ReportGoldenTest.requireTurkishLocale();
        for (String format : List.of("markdown", "json")) {
            String here = report(Map.of("TZ", "UTC", "LC_ALL", "C.UTF-8"), List.of(), format).out();
            assertThat(report(Goldens.FOREIGN_ENV, Goldens.FOREIGN_JVM, format).out()).as(format).isEqualTo(here);
        }
    }
}
