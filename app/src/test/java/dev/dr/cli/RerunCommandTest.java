package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.plan.load.Overrides;
import dev.dr.plan.model.PhaseName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command a refused resume prints: one phase, the same environment, the flags that still apply. */
class RerunCommandTest {

    @TempDir
    Path tmp;

    @Test
    void itRerunsOnePhaseFromTheRunsReceiptsWithTheFlagsThatStillApply() {
        Path run = tmp.resolve("receipts/drill-1");
        Overrides given = new Overrides("bringup", null, null, false, null, null, true, "ALLOW_FULL_DRILL=1", null, null,
                null, true);
        String command = RerunCommand.of("plans/x.yaml", PhaseName.RESTORE, run, given, List.of("--yes", "--kubeconfig",
                "/k/c.yaml"), Map.of());
        assertThat(command).isEqualTo("dr apply plans/x.yaml --start-at restore --stop-after restore --from-receipt " + run
                + " --teardown=false --no-retry --yes --kubeconfig /k/c.yaml");
    }

    @Test
    void aRunGivenABringupReceiptAsReceiptDirIsRerunBesideIt() {
        // --receipt-dir receipts/up: the refused run reused receipts/up and wrote its receipts beside it
        Path run = tmp.resolve("receipts/drill-1");
        Overrides given = new Overrides(null, null, true, false, null, null, null, null, "receipts/up", "receipts/up", null,
                false);
        String command = RerunCommand.of("x.yaml", PhaseName.VALIDATE, run, given, List.of("--yes"), Map.of());
        assertThat(command).isEqualTo("dr apply x.yaml --start-at validate --stop-after validate --from-receipt " + run
                + " --teardown=false --receipt-dir receipts --yes");
    }

    @Test
    void withRunIdSetTheNewRunGetsAFolderOfItsOwn() throws Exception {
        Path run = tmp.resolve("receipts/drill-1");
        Files.createDirectories(tmp.resolve("receipts/drill-1-validate-rerun"));
        String command = RerunCommand.of("x.yaml", PhaseName.VALIDATE, run, Overrides.NONE, List.of(),
                Map.of("RUN_ID", "drill-1"));
        assertThat(command).startsWith("RUN_ID=drill-1-validate-rerun-2 dr apply x.yaml --start-at validate");
    }

    @Test
    void wordsAShellWouldSplitAreQuoted() {
        assertThat(RerunCommand.quoted("receipts/run 1")).isEqualTo("'receipts/run 1'");
        assertThat(RerunCommand.quoted("it's")).isEqualTo("'it'\\''s'");
        assertThat(RerunCommand.quoted("--from-receipt")).isEqualTo("--from-receipt");
        assertThat(KillAndResumeTest.shellWords("dr apply 'my plans/x.yaml' --yes"))
                .containsExactly("dr", "apply", "my plans/x.yaml", "--yes");
    }
}
