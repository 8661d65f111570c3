package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.diff.Planner;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What dr apply checks before it may start, from the plan, the step classes and the plan-diff alone. */
class ApplyPreconditionsTest {
    @TempDir
    Path tmp;

    static void exits(int code, String message, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ExitException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessage(message);
    }

    @Test
    void aSavedPlanAppliesOnlyWhileThePlanGivesItsDigest() {
        SavedPlan saved = new SavedPlan("plans/x.yaml", Overrides.NONE, "sha256:aa", null);
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

    @Test
    void onlyTheStepsOfPhasesThatRunMustBeImplemented() throws Exception {
        Path plan = tmp.resolve("planned.yaml");
        Files.writeString(plan, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: planned}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: jobintel, environment: sandbox}",
                "sizing: {instanceType: t4g.medium}",
                "phases:", "  - name: bringup", "    steps: [{uses: testing.ok}]",
                "  - name: restore", "    steps: [{uses: testing.planned}, {uses: testing.ok}]", ""));
        LoadedPlan all = TestPlans.load(plan.toString(), Map.of(), Overrides.NONE);
        exits(ExitCodes.INVALID, "cannot apply: steps not implemented yet: testing.planned; nothing was run",
                () -> ApplyPreconditions.stepsImplemented(Planner.decide(all.plan().orElseThrow()), TestPlans.STEPS));
        LoadedPlan bringupOnly = TestPlans.load(plan.toString(), Map.of(),
                new Overrides(null, "bringup", null, null, null, null, null, null, null, null, null, false));
        assertThatCode(() -> ApplyPreconditions.stepsImplemented(Planner.decide(bringupOnly.plan().orElseThrow()),
                TestPlans.STEPS)).doesNotThrowAnyException();
    }
}
