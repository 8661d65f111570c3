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
}
