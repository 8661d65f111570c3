package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What dr apply checks before it may start, from the plan and the plan-diff alone. */
class ApplyPreconditionsTest {
    static void exits(int code, String message, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ExitException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessage(message);
    }

    @Test
    void aSavedPlanAppliesOnlyWhileThePlanGivesItsDigest() {
        SavedPlan saved = new SavedPlan("plans/x.yaml", Overrides.NONE, "sha256:aa", SavedPlanFileTest.diff());
        assertThatCode(() -> ApplyPreconditions.savedPlanHolds(saved, "x.json", "sha256:aa")).doesNotThrowAnyException();
        assertThatCode(() -> ApplyPreconditions.savedPlanHolds(null, "x.yaml", "sha256:bb")).doesNotThrowAnyException();
        assertThatThrownBy(() -> ApplyPreconditions.savedPlanHolds(saved, "x.json", "sha256:bb"))
                .isInstanceOfSatisfying(ExitException.class, e -> assertThat(e.code()).isEqualTo(ExitCodes.GUARD_REFUSED))
                .hasMessageStartingWith("the plan no longer gives the saved plan-diff: x.json has planDigest sha256:aa,"
                        + " the plan now gives sha256:bb.");
    }

    @Test
    void unsetVariablesAreNamed() {
        LoadedPlan loaded = TestPlans.load("plans/validate-only.yaml", Map.of("IMAGE_REF", "r@sha256:1"), Overrides.NONE);
        exits(ExitCodes.INVALID, "apply refuses to run with unset variables: BACKUP_URI, BUCKET; set them, or give the"
                + " plan a default (${VAR:-value}); nothing was run", () -> ApplyPreconditions.noUnsetVariables(loaded));
        assertThatCode(() -> ApplyPreconditions.noUnsetVariables(TestPlans.load(ApplyCommandTest.PLAN, Map.of(),
                Overrides.NONE))).doesNotThrowAnyException();
    }

    /** The sandbox drill with these boundaries, as the command line gives them. */
    static java.util.List<dev.dr.diff.PhaseDecision> sandbox(String startAt, String stopAfter, Boolean validateOnly) {
        LoadedPlan loaded = TestPlans.load("examples/sandbox/drill.yaml", Map.of(), new Overrides(startAt, stopAfter, validateOnly,
                null, null, null, null, null, null, null, null, false));
        assertThat(loaded.errors()).isEmpty();
        return dev.dr.diff.Planner.decide(loaded.plan().orElseThrow());
    }

    @Test
    void aStepThatTalksToTheClusterNeedsAKubeconfigFromTheRunTheReceiptOrTheFlag() {
        // bringup brings the cluster up for the phases after it
        assertThatCode(() -> ApplyPreconditions.outputsGiven(sandbox(null, "validate", null), TestPlans.STEPS, java.util.Set.of(),
                Map.of())).doesNotThrowAnyException();
        // a receipt's kubeconfig, or --kubeconfig, for a run without bringup
        assertThatCode(() -> ApplyPreconditions.outputsGiven(sandbox(null, null, true), TestPlans.STEPS,
                java.util.Set.of("kubeconfig"), Map.of())).doesNotThrowAnyException();
        // the final teardown needs no cluster: the sandbox's state says what to stop
        assertThat(ApplyPreconditions.outputsGiven(sandbox("teardown", null, null), TestPlans.STEPS, java.util.Set.of(),
                Map.of())).isFalse();
        assertThat(ApplyPreconditions.kubeconfigIgnored(false, Map.of("KUBECONFIG", "/k"))).isEmpty();
        assertThat(ApplyPreconditions.kubeconfigIgnored(true, Map.of())).isEmpty();
        assertThat(ApplyPreconditions.kubeconfigIgnored(true, Map.of("KUBECONFIG", "/k"))).isPresent();
        String refusal = "validate: k8s.run-job talks to the DR cluster, and nothing says which: no phase of this run"
                + " brings it up, no bringup receipt with a kubeconfig is reused (--receipt-dir <bringup receipt> or"
                + " --from-receipt), and no --kubeconfig was given. A DR plan never reads KUBECONFIG or ~/.kube/config.";
        exits(ExitCodes.GUARD_REFUSED, refusal + " Nothing was run.", () -> ApplyPreconditions.outputsGiven(
                sandbox(null, null, true), TestPlans.STEPS, java.util.Set.of("sandbox.pid"), Map.of()));
        exits(ExitCodes.GUARD_REFUSED, refusal + " KUBECONFIG is set but a DR plan does not read it; pass --kubeconfig"
                + " \"$KUBECONFIG\" or --receipt-dir <bringup receipt>. Nothing was run.", () -> ApplyPreconditions.outputsGiven(
                sandbox(null, null, true), TestPlans.STEPS, java.util.Set.of(), Map.of("KUBECONFIG", "/home/op/.kube/primary")));
    }
}
