package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.ExitCodes;
import dev.dr.json.JsonTrees;
import dev.dr.lock.FileLockStore;
import dev.dr.lock.Holder;
import dev.dr.lock.LockKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** dr apply in-process, with the test steps: the preview first, then confirmation, lock, engine, receipts. */
class ApplyCommandTest {

    static final String PLAN = "app/src/test/resources/cli/apply-test.yaml";

    @TempDir
    Path tmp;

    DrRun apply(Map<String, String> extraEnv, boolean tty, String answer, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("DR_LOCK_DIR", tmp.resolve("locks").toString(),
                "RECEIPT_DIR", tmp.resolve("receipts").toString(), "DR_OPERATOR", "tester"));
        env.putAll(extraEnv);
        String[] argv = Stream.concat(Stream.of("apply", PLAN), Stream.of(args)).toArray(String[]::new);
        return DrRun.in(CliProcess.projectDir(), env, tty, answer, argv);
    }

    List<Path> runs() throws Exception {
        Path r = tmp.resolve("receipts");
        if (!Files.isDirectory(r)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(r)) {
            return s.toList();
        }
    }

    @Test
    void withoutATerminalApplyNeedsYesAndRunsNothing() throws Exception {
        DrRun r = apply(Map.of(), false, "");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).contains("+ validate").contains("planDigest: sha256:");
        assertThat(r.err()).contains("no terminal to confirm on; pass --yes");
        assertThat(runs()).isEmpty();
    }

    @Test
    void anAnswerOtherThanYesCancels() throws Exception {
        DrRun r = apply(Map.of(), true, "y\n");
        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("Apply this plan? Only 'yes' is accepted:").contains("apply cancelled");
        assertThat(runs()).isEmpty();
    }

    @Test
    void confirmedItRunsRetriesAsBudgetedAndWritesReceipts() throws Exception {
        DrRun r = apply(Map.of(), true, "yes\n");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out().indexOf("planDigest:")).as("the plan-diff is printed before the run")
                .isLessThan(r.out().indexOf("Run apply-test-"));
        assertThat(r.err()).contains("validate: attempt 1 failed (image-pull-auth: failure 1)")
                .contains("validate: attempt 2 success");
        Path run = runs().get(0);
        JsonNode summary = JsonTrees.read(Files.readString(run.resolve("drill.summary.json")));
        assertThat(summary.get("verdict").asString()).isEqualTo("success");
        assertThat(summary.get("operator").asString()).isEqualTo("tester");
        JsonNode validate = JsonTrees.read(Files.readString(run.resolve("phases/validate.json")));
        assertThat(validate.get("attempts")).hasSize(2);
        assertThat(validate.get("planDigest").asString()).startsWith("sha256:");
        assertThat(new FileLockStore(tmp.resolve("locks"), Clock.systemUTC())
                .holder(new LockKey("048622080012", "us-east-1", "jobintel"))).as("lock released").isEmpty();
    }

    @Test
    void everyReceiptMatchesTheReceiptSchema() throws Exception {
        apply(Map.of(), false, "", "--yes");
        apply(Map.of("FAIL_WITH", "permanent"), false, "", "--yes");
        var schema = com.networknt.schema.SchemaRegistry.withDefaultDialect(
                com.networknt.schema.SpecificationVersion.DRAFT_2020_12).getSchema(
                JsonTrees.read(Files.readString(CliProcess.projectDir().resolve("schema/receipt.schema.json"))));
        List<Path> receipts;
        try (Stream<Path> s = Files.walk(tmp.resolve("receipts"))) {
            receipts = s.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertThat(receipts).hasSizeGreaterThanOrEqualTo(6);
        for (Path p : receipts) {
            assertThat(schema.validate(JsonTrees.read(Files.readString(p)))).as(p.toString()).isEmpty();
        }
        JsonNode broken = JsonTrees.read(Files.readString(receipts.get(0)));
        ((tools.jackson.databind.node.ObjectNode) broken).put("status", "maybe");
        ((tools.jackson.databind.node.ObjectNode) broken).put("verdict", "maybe");
        assertThat(schema.validate(broken)).as("the schema can fail").isNotEmpty();
    }

    @Test
    void aNonRetryableFailureExitsOneWithAFailedReceipt() throws Exception {
        DrRun r = apply(Map.of("FAIL_WITH", "permanent"), false, "", "--yes");
        assertThat(r.exit()).isEqualTo(ExitCodes.PHASE_FAILED);
        JsonNode validate = JsonTrees.read(Files.readString(runs().get(0).resolve("phases/validate.json")));
        assertThat(validate.get("status").asString()).isEqualTo("failed");
        assertThat(validate.get("reason").get("kind").asString()).isEqualTo("permanent");
        assertThat(validate.get("attempts")).hasSize(1);
    }

    @Test
    void aHeldLockRefusesWithTheHoldersRunId() throws Exception {
        new FileLockStore(tmp.resolve("locks"), Clock.systemUTC()).acquire(
                new LockKey("048622080012", "us-east-1", "jobintel"), new Holder("alice", "run-of-alice", Instant.now()));
        DrRun r = apply(Map.of(), false, "", "--yes");
        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("another drill holds 048622080012/us-east-1/jobintel: run run-of-alice by alice")
                .contains("dr force-unlock 048622080012/us-east-1/jobintel");
        assertThat(runs()).isEmpty();
    }

    @Test
    void unsetVariablesAreRefusedBeforeAnythingRuns() throws Exception {
        DrRun r = DrRun.inProject(Map.of("DR_LOCK_DIR", tmp.resolve("locks").toString()),
                "apply", "plans/validate-only.yaml", "--yes");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("apply refuses to run with unset variables: BACKUP_URI, BUCKET, IMAGE_REF");
    }

    DrRun cli(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("DR_LOCK_DIR", tmp.resolve("locks").toString(),
                "RECEIPT_DIR", tmp.resolve("receipts").toString(), "DR_OPERATOR", "tester"));
        env.putAll(extraEnv);
        return DrRun.inProject(env, args);
    }

    @Test
    void aSavedPlanIsAppliedExactlyAsPreviewed() throws Exception {
        Path saved = tmp.resolve("plan.json");
        // the same environment for both: the plan-diff names the variables values came from
        DrRun plan = cli(Map.of("FAIL_WITH", "image-pull-auth"), "plan", PLAN, "--no-retry", "--out", saved.toString());
        assertThat(plan.exit()).as(plan.err()).isZero();
        assertThat(plan.err()).contains("saved the plan to");
        DrRun r = cli(Map.of("FAIL_WITH", "image-pull-auth"), "apply", saved.toString(), "--yes");
        // --no-retry travels with the saved plan: the first failure is final
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.PHASE_FAILED);
        assertThat(r.out()).contains("retry.*.maxAttempts = 1  (--no-retry)");
    }

    @Test
    void aSavedPlanWhoseInputsChangedIsRefused() throws Exception {
        Path saved = tmp.resolve("plan.json");
        assertThat(cli(Map.of(), "plan", PLAN, "--out", saved.toString()).exit()).isZero();
        DrRun r = cli(Map.of("FAIL_WITH", "throttled"), "apply", saved.toString(), "--yes");
        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("the plan no longer gives the saved plan-diff").contains("Nothing was run.");
        assertThat(runs()).isEmpty();
    }

    @Test
    void aSavedPlanThatLacksAFieldIsRefusedBeforeAnythingRuns() throws Exception {
        Path saved = tmp.resolve("plan.json");
        assertThat(cli(Map.of(), "plan", PLAN, "--out", saved.toString()).exit()).isZero();
        Files.writeString(saved, Files.readString(saved).replaceFirst("\"guards\" : \\[", "\"guardz\" : ["));
        DrRun r = cli(Map.of(), "apply", saved.toString(), "--yes");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains(saved + ": diff.guards is missing; expected an array; save it again with dr plan --out. Nothing was run.");
        assertThat(r.out()).isEmpty();
        assertThat(runs()).isEmpty();
    }

    @Test
    void aSavedPlanTakesNoNewOverrides() throws Exception {
        Path saved = tmp.resolve("plan.json");
        assertThat(cli(Map.of(), "plan", PLAN, "--out", saved.toString()).exit()).isZero();
        DrRun r = cli(Map.of(), "apply", saved.toString(), "--yes", "--stop-after", "bringup");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("is a saved plan; its overrides were fixed by dr plan --out");
    }

    @Test
    void resumeKeepsWhatSucceededAndRerunsFromTheFirstFailure() throws Exception {
        DrRun first = apply(Map.of(), false, "", "--yes", "--no-retry");
        assertThat(first.exit()).isEqualTo(ExitCodes.PHASE_FAILED);
        Path run = runs().get(0);
        String bringupBefore = Files.readString(run.resolve("phases/bringup.json"));
        DrRun second = apply(Map.of(), false, "", "--yes", "--no-retry", "--resume", run.toString());
        assertThat(second.exit()).as(second.err()).isEqualTo(ExitCodes.OK);
        assertThat(second.err()).contains("bringup: succeeded before; kept (resume)");
        assertThat(runs()).as("the same run continues").hasSize(1);
        assertThat(Files.readString(run.resolve("phases/bringup.json"))).isEqualTo(bringupBefore);
        JsonNode validate = JsonTrees.read(Files.readString(run.resolve("phases/validate.json")));
        assertThat(validate.get("status").asString()).isEqualTo("success");
        JsonNode summary = JsonTrees.read(Files.readString(run.resolve("drill.summary.json")));
        assertThat(summary.get("verdict").asString()).isEqualTo("success");
        assertThat(summary.get("runId").asString()).isEqualTo(run.getFileName().toString());
    }

    @Test
    void resumeRefusesWhenThePlanChanged() throws Exception {
        assertThat(apply(Map.of(), false, "", "--yes", "--no-retry").exit()).isEqualTo(ExitCodes.PHASE_FAILED);
        Path run = runs().get(0);
        DrRun r = apply(Map.of("FAIL_WITH", "throttled"), false, "", "--yes", "--no-retry", "--resume", run.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("cannot resume " + run.getFileName()).contains("Nothing was run.");
    }

    @Test
    void onATerminalARunningPhaseShowsALiveLine() throws Exception {
        DrRun r = apply(Map.of(), true, "yes\n");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        // the plain lines still come one per event, each after the live line is cleared
        assertThat(r.err()).contains("\r\u001b[K[").contains("validate: attempt 2 success");
        DrRun piped = apply(Map.of(), false, "", "--yes");
        assertThat(piped.err()).as("no terminal, no live line").doesNotContain("\u001b[K");

        DrRun slow = DrRun.in(CliProcess.projectDir(),
                Map.of("DR_LOCK_DIR", tmp.resolve("locks").toString(), "RECEIPT_DIR", tmp.resolve("slow").toString()),
                true, "yes\n", "apply", "app/src/test/resources/cli/kill-test.yaml");
        assertThat(slow.exit()).isZero();
        assertThat(slow.err()).as("a 1.5 s phase shows the live line").contains("bringup: running 1s");
    }

    @Test
    void forceUnlockSaysWhatItOverrides() throws Exception {
        new FileLockStore(tmp.resolve("locks"), Clock.systemUTC()).acquire(
                new LockKey("048622080012", "us-east-1", "jobintel"), new Holder("alice", "run-of-alice", Instant.now()));
        DrRun r = DrRun.inProject(Map.of("DR_LOCK_DIR", tmp.resolve("locks").toString()),
                "force-unlock", "048622080012/us-east-1/jobintel");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Removed the lock on 048622080012/us-east-1/jobintel held by run run-of-alice")
                .contains("a second drill can now start beside it");
    }
}
