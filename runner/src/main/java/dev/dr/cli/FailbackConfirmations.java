package dev.dr.cli;

import dev.dr.command.Context;
import dev.dr.command.ExitException;
import dev.dr.diff.PhaseDecision;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Plan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The runbook's two explicit confirmations before a failback: {@code FAILBACK}, then
 * {@code CONFIRM-<dr_run_id>}, given as --confirm1/--confirm2 or typed at a prompt. They are
 * asked for even with --yes, which only answers the general "apply this plan?": a failback
 * must never happen by accident.
 */
final class FailbackConfirmations {
    private FailbackConfirmations() {}

    /**
     * Returns when the plan runs no failback or both confirmations are right; otherwise ends the
     * command (exit 3), nothing run. The DR run id is --dr-run-id, else the folder name of
     * run.fromReceipt (the DR environment's bringup run).
     */
    static void check(Context ctx, Plan plan, List<PhaseDecision> decisions, String confirm1, String confirm2,
            String drRunId) throws IOException {
        boolean failback = decisions.stream().anyMatch(d -> d.runs() && d.phase().name() == PhaseName.FAILBACK);
        if (!failback) {
            return;
        }
        String id = drRunId != null ? drRunId
                : plan.run().fromReceipt().isEmpty() ? null : Path.of(plan.run().fromReceipt()).getFileName().toString();
        if (id == null || id.isBlank()) {
            throw ExitException.guardRefused("a failback needs the DR run id for its second confirmation: give"
                    + " --dr-run-id (or --from-receipt with the DR bringup's receipt). Nothing was run.");
        }
        confirmed(ctx, confirm1, confirm2, id);
    }

    /** The two confirmations as given or typed, both right. */
    record Confirmed(String first, String second) {}

    /**
     * Checks both confirmations for the DR run {@code drRunId}, asking at a terminal for one not
     * given; otherwise ends the command (exit 3). Needs nothing but the operator: dr failback
     * asks this before it loads the plan or reaches AWS.
     */
    static Confirmed confirmed(Context ctx, String confirm1, String confirm2, String drRunId) throws IOException {
        String second = "CONFIRM-" + drRunId;
        String one = confirm1 != null ? confirm1 : ask(ctx, "Failback hands the publish pointers back to primary. Type FAILBACK: ");
        if (!"FAILBACK".equals(one)) {
            throw refused(one == null ? "the first confirmation is missing (--confirm1 FAILBACK)"
                    : "the first confirmation is '" + one + "', not FAILBACK");
        }
        String two = confirm2 != null ? confirm2 : ask(ctx, "Type " + second + ": ");
        if (!second.equals(two)) {
            throw refused(two == null ? "the second confirmation is missing (--confirm2 " + second + ")"
                    : "the second confirmation is '" + two + "', not " + second);
        }
        return new Confirmed(one, two);
    }

    private static String ask(Context ctx, String prompt) throws IOException {
        if (!ctx.tty()) {
            return null;
        }
        ctx.err().print(prompt);
        ctx.err().flush();
        String answer = ctx.in().readLine();
        return answer == null ? null : answer.strip();
    }

    private static ExitException refused(String why) {
        return ExitException.guardRefused("failback refused: " + why + ". Nothing was run.");
    }
}
