package dev.dr.cli;

import dev.dr.command.ExitException;
import dev.dr.plan.load.LoadedPlan;

/**
 * What must hold before dr apply may start, each checked from the plan and the plan-diff alone
 * (nothing live): the first that fails ends the command with its one line.
 */
final class ApplyPreconditions {
    private ApplyPreconditions() {}

    /** A saved plan applies only while the plan still gives the plan-diff it saved. */
    static void savedPlanHolds(SavedPlan saved, String file, String planDigest) {
        if (saved != null && !saved.planDigest().equals(planDigest)) {
            throw ExitException.guardRefused("the plan no longer gives the saved plan-diff: " + file + " has planDigest "
                    + saved.planDigest() + ", the plan now gives " + planDigest + ". The plan, a plan it extends or a"
                    + " variable it reads changed since dr plan --out; preview it again. Nothing was run.");
        }
    }

    /** A plan with an unset variable would run with a hole in it. */
    static void noUnsetVariables(LoadedPlan loaded) {
        if (!loaded.unset().isEmpty()) {
            throw ExitException.invalidInput("apply refuses to run with unset variables: "
                    + String.join(", ", loaded.unset())
                    + "; set them, or give the plan a default (${VAR:-value}); nothing was run");
        }
    }
}
