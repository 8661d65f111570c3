package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.diff.Planner;
import dev.dr.engine.Engine;
import dev.dr.engine.PhaseOutcome;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.model.PhaseName;
import dev.dr.receipt.ReceiptRecorder;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The earlier run a run reuses: its outputs, --kubeconfig over them, and whether this run reruns what it left unfinished. */
class ReusedReceiptTest {
    static final String PLAN = ApplyCommandTest.PLAN;

    @TempDir
    Path tmp;

    final StringWriter err = new StringWriter();

    /** A bringup that left a kubeconfig; ended (its summary written) or killed after its first phase. */
    Path bringup(String id, boolean ended) {
        Path dir = tmp.resolve(id);
        Clock clock = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);
        ReceiptRecorder r = new ReceiptRecorder(dir, new ReceiptRecorder.RunInfo(id, "apply-test", PLAN, "sha256:1", "t"),
                clock);
        r.writeRunStarted(Optional.empty());
        r.phaseFinished(new PhaseOutcome(PhaseName.BRINGUP, PhaseOutcome.Status.SUCCESS, null, null, List.of(),
                Map.of("kubeconfig", "/runs/" + id + "/kubeconfig.yaml"), clock.instant(), clock.instant()));
        if (ended) {
            r.writeSummary(Engine.Verdict.SUCCESS);
        }
        return dir;
    }

    ReusedReceipt read(Overrides overrides, String kubeconfig) {
        LoadedPlan loaded = TestPlans.load(PLAN, Map.of(), overrides);
        return ReusedReceipt.read(TestPlans.context(err), loaded, Planner.decide(loaded.plan().orElseThrow()), kubeconfig);
    }

    @Test
    void aPlanThatReusesNoRunGetsOnlyTheKubeconfigGiven() {
        assertThat(read(Overrides.NONE, null)).isEqualTo(new ReusedReceipt(Optional.empty(), Map.of(), null));
        assertThat(read(Overrides.NONE, "k.yaml").outputs())
                .containsExactly(Map.entry("kubeconfig", CliProcess.projectDir().resolve("k.yaml").toString()));
    }

    @Test
    void anEndedRunGivesItsOutputsAndIsNotRerun() {
        Path dir = bringup("up", true);
        ReusedReceipt reused = read(TestPlans.fromReceipt(dir.toString()), null);
        assertThat(reused.dir()).contains(dir);
        assertThat(reused.outputs()).containsEntry("kubeconfig", "/runs/up/kubeconfig.yaml");
        assertThat(reused.rerunOf()).isNull();
        // --kubeconfig wins over the one the run left
        assertThat(read(TestPlans.fromReceipt(dir.toString()), "k.yaml").outputs())
                .containsEntry("kubeconfig", CliProcess.projectDir().resolve("k.yaml").toString());
    }

    @Test
    void aRunKilledBeforeAPhaseThisRunRunsIsTheRunThisOneReruns() {
        Path dir = bringup("killed", false);
        assertThat(read(TestPlans.fromReceipt(dir.toString()), null).rerunOf()).isEqualTo("killed");
    }

    @Test
    void anUnreadableRunEndsTheCommandNamingIt() {
        assertThatThrownBy(() -> read(TestPlans.fromReceipt(tmp.resolve("none").toString()), null))
                .isInstanceOfSatisfying(ExitException.class, e -> assertThat(e.code()).isEqualTo(ExitCodes.INVALID))
                .hasMessageStartingWith("cannot reuse run.fromReceipt: ")
                .hasMessageContaining(tmp.resolve("none").toString())
                .hasMessageEndingWith("; nothing was run");
    }
}
