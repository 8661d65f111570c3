package dev.dr.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.CliProcess;
import dev.dr.cli.DrRun;
import dev.dr.cli.Goldens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The state machine of every plan in plans/ (and of the gate and ECS variants) compared byte
 * for byte with its golden file under app/src/test/resources/dr/compile/; then again in a
 * fresh JVM in a far time zone and the Turkish locale. Run with {@code -Ddr.updateGoldens=true}
 * to rewrite the golden files after an intended change.
 */
class GoldenAslTest {

    static Path golden(Compiles.Case c) {
        return Compiles.GOLDEN.resolve(c.name() + ".asl.json");
    }

    @TestFactory
    List<DynamicTest> everyPlanCompilesToItsGoldenFile() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Compiles.Case c : Compiles.cases()) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                DrRun r = DrRun.inProject(Map.of(), c.argv("stepfunctions"));
                assertThat(r.exit()).as(r.err()).isZero();
                Goldens.assertMatches(golden(c), r.out());
            }));
        }
        return tests;
    }

    @Test
    void sameBytesInAnotherTimeZoneAndLocaleInAFreshJvm() throws Exception {
        Map<String, String> env = Goldens.FOREIGN_ENV;
        List<String> jvm = Goldens.FOREIGN_JVM;
        Compiles.Case c = Compiles.cases().stream().filter(k -> k.name().equals("full-drill.auto-promote")).findFirst()
                .orElseThrow();
        CliProcess.Result r = CliProcess.run(CliProcess.classesDir(), env, jvm, c.argv("stepfunctions"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(Files.readString(golden(c), StandardCharsets.UTF_8));
    }

    @Test
    void theWorkersAreToldWhichVariablesThePlanReads() {
        DrRun r = DrRun.inProject(Map.of(), "compile", "--target", "stepfunctions", "plans/validate-only.yaml");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEqualTo("dr: the workers must set BACKUP_URI, BUCKET, IMAGE_REF: the plan reads them and they"
                + " are not set here\n");
        DrRun set = DrRun.inProject(Map.of("BACKUP_URI", "s3://dr-artifacts/jobintel/backups/20261129T101500Z", "BUCKET", "dr-artifacts",
                "IMAGE_REF", "048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:" + "a".repeat(64)),
                "compile", "--target", "stepfunctions", "plans/validate-only.yaml");
        // validate-only reads BACKUP_URI and BUCKET only for phases it does not run: named, and no worker needs them
        assertThat(set.err()).isEqualTo("dr: warning: BACKUP_URI is set but plans/validate-only.yaml runs no step that"
                + " reads inputs.backupUri; it has no effect\ndr: warning: BUCKET is set but plans/validate-only.yaml runs no"
                + " step that reads inputs.bucket; it has no effect\n");
        assertThat(set.out()).as("the values stay with the workers: the machine is the same").isEqualTo(r.out());
        DrRun terraform = DrRun.inProject(Map.of(), "compile", "--target", "stepfunctions-terraform", "plans/validate-only.yaml");
        assertThat(terraform.err()).as("the Terraform sets BACKUP_URI and BUCKET from backup_uri and publish_bucket")
                .isEqualTo("dr: the workers must set IMAGE_REF: the plan reads them and they are not set here\n");
    }
}
