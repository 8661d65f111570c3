package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.ExitCodes;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failback's flags are dr failback's: its help lists them and apply's does not, yet apply
 * still takes them, for continuing a failback run with dr apply --resume.
 */
class FailbackFlagsTest {
    @TempDir
    Path tmp;

    @Test
    void failbackListsItsFlagsAndApplyHidesThem() {
        DrRun failback = DrRun.inProject(Map.of(), "failback", "--help");
        assertThat(failback.exit()).isZero();
        assertThat(failback.out()).contains("--confirm1", "--confirm2", "--dr-run-id");
        DrRun apply = DrRun.inProject(Map.of(), "apply", "--help");
        assertThat(apply.exit()).isZero();
        assertThat(apply.out()).contains("--resume", "--kubeconfig").doesNotContain("--confirm1", "--confirm2",
                "--dr-run-id");
    }

    @Test
    void applyStillTakesThemAndBindsTheRunToTheDrRunId() {
        Map<String, String> env = Map.of("DR_LOCK_DIR", tmp.resolve("locks").toString(),
                "RECEIPT_DIR", tmp.resolve("receipts").toString(), "DR_OPERATOR", "tester", "RUN_ID", "one");
        DrRun r = DrRun.inProject(env, "apply", ApplyCommandTest.PLAN, "--yes", "--dr-run-id", "dr-1",
                "--confirm1", "FAILBACK", "--confirm2", "CONFIRM-dr-1");
        assertThat(r.exit()).as(r.err()).isZero();
        // a resume without the --dr-run-id the run was bound to is refused: the flag steers the run
        DrRun resumed = DrRun.inProject(env, "apply", ApplyCommandTest.PLAN, "--yes", "--resume",
                tmp.resolve("receipts/one").toString());
        assertThat(resumed.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(resumed.err()).contains("dr: cannot resume one: it was started under static digest");
    }
}
