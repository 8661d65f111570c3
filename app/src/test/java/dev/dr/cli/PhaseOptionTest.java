package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.ExitCodes;
import dev.dr.json.JsonTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * dr apply --phase NAME, and the command dr compile gives each worker: run as the worker
 * runs it, phase after phase in separate runs, a later phase reusing the bringup run's
 * receipt, and a Step Functions retry (same run id) after a failed single attempt.
 */
class PhaseOptionTest {
    static final String PLAN = ApplyCommandTest.PLAN;
    static final String FROM_RECEIPT = "${DR_FROM_RECEIPT:+--from-receipt \"$DR_FROM_RECEIPT\"}";
    static final String UPLOAD = "${DR_RECEIPT_BUCKET:+--upload-receipts"
            + " \"s3://$DR_RECEIPT_BUCKET/$DR_RECEIPT_PREFIX/$DR_EXECUTION_ID\"}";

    @TempDir
    Path tmp;

    DrRun dr(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("DR_LOCK_DIR", tmp.resolve("locks").toString(),
                "RECEIPT_DIR", tmp.resolve("receipts").toString(), "DR_OPERATOR", "worker"));
        env.putAll(extraEnv);
        return DrRun.inProject(env, args);
    }

    /** The worker's command of {@code state}, from the compiled buildspec, as dr's arguments. */
    List<String> workerArgs(JsonNode states, String state, String fromReceipt) {
        String buildspec = states.get(state).get("Parameters").get("BuildspecOverride").asString();
        String line = buildspec.substring(buildspec.indexOf("- |\n") + 4).strip();
        assertThat(line).startsWith("dr apply ").doesNotContain("'");
        line = line.substring("dr ".length());
        // no receipt bucket here (DR_RECEIPT_BUCKET empty): the shell drops the upload
        assertThat(line).endsWith(UPLOAD);
        line = line.substring(0, line.length() - UPLOAD.length()).strip();
        if (line.endsWith(FROM_RECEIPT)) {
            line = line.substring(0, line.length() - FROM_RECEIPT.length()).strip() + " --from-receipt " + fromReceipt;
        }
        return new ArrayList<>(List.of(line.split(" ")));
    }

    @Test
    void theCompiledWorkerCommandsRunEachPhaseAndAStepFunctionsRetryCompletesIt() throws Exception {
        DrRun compiled = dr(Map.of(), "compile", "--target", "stepfunctions", PLAN);
        assertThat(compiled.exit()).as(compiled.err()).isZero();
        JsonNode states = JsonTrees.read(compiled.out()).get("States");
        Path receipts = tmp.resolve("receipts");
        String bringupRun = receipts.resolve("exec1-bringup").toString();

        List<String> bringup = workerArgs(states, "Bringup", bringupRun);
        assertThat(bringup).containsExactly("apply", PLAN, "--phase", "bringup", "--yes", "--no-retry", "--receipt-dir",
                receipts.toString());
        DrRun b = dr(Map.of("RUN_ID", "exec1-bringup"), bringup.toArray(String[]::new));
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(JsonTrees.read(Files.readString(receipts.resolve("exec1-bringup/phases/bringup.json"))).get("status")
                .asString()).isEqualTo("success");

        List<String> validate = workerArgs(states, "Validate", bringupRun);
        assertThat(validate).endsWith("--from-receipt", bringupRun);
        assertThat(states.get("Validate").get("Retry").get(0).get("MaxAttempts").asInt()).isEqualTo(1);
        DrRun first = dr(Map.of("RUN_ID", "exec1-validate"), validate.toArray(String[]::new));
        assertThat(first.exit()).as("one attempt (--no-retry): the failure goes to Step Functions").isEqualTo(1);
        assertThat(first.err()).contains("validate: attempt 1 failed (image-pull-auth: failure 1)");
        DrRun retried = dr(Map.of("RUN_ID", "exec1-validate"), validate.toArray(String[]::new));
        assertThat(retried.exit()).as(retried.err()).isZero();
        JsonNode receipt = JsonTrees.read(Files.readString(receipts.resolve("exec1-validate/phases/validate.json")));
        assertThat(receipt.get("status").asString()).isEqualTo("success");
        assertThat(Files.exists(receipts.resolve("exec1-validate/phases/bringup.json")))
                .as("the validate run does not touch the bringup run's receipts").isTrue();
        assertThat(JsonTrees.read(Files.readString(receipts.resolve("exec1-validate/phases/bringup.json"))).get("status")
                .asString()).isEqualTo("skipped");
    }

    @Test
    void phaseRunsThatOnePhase() {
        DrRun r = dr(Map.of(), "plan", PLAN, "--phase", "validate");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("+ validate").contains("before-start-at");
    }

    @Test
    void phaseWithAStopBoundaryIsAUsageError() {
        DrRun r = dr(Map.of(), "apply", PLAN, "--phase", "validate", "--stop-after", "validate", "--yes");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).isEqualTo("dr: --phase validate is both boundaries: give it without --start-at and --stop-after\n");
        assertThat(Files.exists(tmp.resolve("receipts"))).as("nothing ran").isFalse();
    }

    @Test
    void anUnknownPhaseIsThePlansError() {
        DrRun r = dr(Map.of(), "apply", PLAN, "--phase", "promte", "--yes");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("run.startAt").contains("promte");
    }
}
