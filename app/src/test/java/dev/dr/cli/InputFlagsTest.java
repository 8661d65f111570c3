package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.ExitCodes;
import dev.dr.diff.PlanDiff;
import dev.dr.json.JsonTrees;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.model.PhaseName;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The runbook's dr_drill input flags on dr plan and dr apply: --backup-uri and --image-ref, and
 * --set NAME=VALUE for any plan input. A flag wins over the variable, is taken as the shell
 * gave it, and the plan-diff names the flag.
 */
class InputFlagsTest {
    static final String IMAGE = "048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:" + "b".repeat(64);
    static final String BACKUP = "s3://artifacts/jobintel/backups/b-0002";

    @TempDir
    Path tmp;

    DrRun plan(Map<String, String> env, String... args) {
        String[] argv = java.util.stream.Stream.concat(java.util.stream.Stream.of("plan", "plans/validate-only.yaml",
                "--format", "json"), java.util.stream.Stream.of(args)).toArray(String[]::new);
        return DrRun.inProject(env, argv);
    }

    @Test
    void theFlagsFillTheInputsOverTheVariablesAndThePlanDiffNamesThem() {
        DrRun r = plan(Map.of("BACKUP_URI", "s3://artifacts/jobintel/backups/from-env", "BUCKET", "from-env"),
                "--backup-uri", BACKUP, "--image-ref", IMAGE, "--set", "bucket=artifacts", "--set", "prefix=jobintel-dr");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode diff = JsonTrees.read(r.out());
        assertThat(diff.get("inputs").get("backupUri").asString()).isEqualTo(BACKUP);
        assertThat(diff.get("inputs").get("imageRef").asString()).isEqualTo(IMAGE);
        assertThat(diff.get("inputs").get("bucket").asString()).isEqualTo("artifacts");
        assertThat(diff.get("inputs").get("prefix").asString()).isEqualTo("jobintel-dr");
        assertThat(diff.get("unsetVariables")).as("no variable is needed for an input a flag gave").isEmpty();
        List<String> overrides = diff.get("overrides").valueStream()
                .map(o -> o.get("flag").asString() + " " + o.get("path").asString() + "=" + o.get("value").asString()).toList();
        assertThat(overrides).contains("--backup-uri inputs.backupUri=" + BACKUP, "--image-ref inputs.imageRef=" + IMAGE,
                "--set bucket inputs.bucket=artifacts", "--set prefix inputs.prefix=jobintel-dr");
    }

    @Test
    void aValueIsTakenAsTheShellGaveItNotInterpolatedAgain() {
        DrRun r = plan(Map.of("HOME", "/home/op"), "--set", "prefix=jobintel-${HOME}");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JsonTrees.read(r.out()).get("inputs").get("prefix").asString()).isEqualTo("jobintel-${HOME}");
    }

    @Test
    void anInputThePlanLanguageDoesNotHaveIsRefusedWithTheNearestName() {
        DrRun r = plan(Map.of(), "--set", "bukcet=artifacts");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("--set bukcet=…: the plan has no input 'bukcet'; expected one of allowTagImageRef,"
                + " backupUri, bucket, imageRef, prefix; did you mean 'bucket'?");
    }

    @Test
    void aBooleanInputTakesTrueOrFalseOnly() {
        DrRun bad = plan(Map.of(), "--set", "allowTagImageRef=yes");
        assertThat(bad.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(bad.err()).contains("--set allowTagImageRef=yes: expected true or false");
        DrRun good = plan(Map.of(), "--set", "allowTagImageRef=true", "--image-ref", "registry.example/jobintel:dev");
        assertThat(good.exit()).as(good.err()).isZero();
        assertThat(JsonTrees.read(good.out()).get("inputs").get("allowTagImageRef").asBoolean()).isTrue();
    }

    @Test
    void oneInputGivenTwiceIsRefused() {
        DrRun r = plan(Map.of(), "--backup-uri", BACKUP, "--set", "backupUri=" + BACKUP);
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("--set backupUri and --backup-uri both give inputs.backupUri; give it once");
    }

    @Test
    void aBadValueNamesTheFlagThatGaveIt() {
        DrRun r = plan(Map.of(), "--backup-uri", "http://artifacts/jobintel");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("command line (--backup-uri): inputs.backupUri: expected s3://");
    }

    @Test
    void aSavedPlanKeepsTheInputsItWasPreviewedWith() throws Exception {
        Overrides given = new Overrides(null, null, null, null, null, null, null, null, null, null, null, false,
                Map.of("backupUri", new Overrides.GivenInput(BACKUP, "--backup-uri"),
                        "bucket", new Overrides.GivenInput("artifacts", "--set bucket")));
        PlanDiff diff = new dev.dr.diff.PlanDiffBuilder(TestPlans.STEPS).build(TestPlans.load("plans/validate-only.yaml",
                Map.of(), given));
        SavedPlan saved = new SavedPlan("plans/validate-only.yaml", given, diff.planDigest(), diff);
        Path file = tmp.resolve("saved.json");
        Files.writeString(file, saved.toJson());
        assertThat(SavedPlan.in(TestPlans.context(new StringWriter()), file.toString())).isEqualTo(saved);
        assertThat(diff.inputs().backupUri()).isEqualTo(BACKUP);
    }

    @Test
    void theRerunCommandGivesTheSameInputsWithTheSameFlags() {
        Overrides given = new Overrides(null, null, null, null, null, null, null, null, null, null, null, false,
                Map.of("backupUri", new Overrides.GivenInput(BACKUP, "--backup-uri"),
                        "imageRef", new Overrides.GivenInput(IMAGE, "--image-ref"),
                        "bucket", new Overrides.GivenInput("artifacts", "--set bucket")));
        Path run = tmp.resolve("receipts/drill-1");
        assertThat(RerunCommand.of("plans/full-drill.yaml", PhaseName.RESTORE, run, given, List.of("--yes"), Map.of()))
                .isEqualTo("dr apply plans/full-drill.yaml --start-at restore --stop-after restore --from-receipt " + run
                        + " --backup-uri " + BACKUP + " --set bucket=artifacts --image-ref " + IMAGE + " --yes");
    }
}
