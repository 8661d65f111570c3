package dev.dr.cli;

import dev.dr.command.ExitCodes;
import dev.dr.source.Problem;
import java.io.PrintWriter;
import java.util.List;

/** Prints problems as {@code file:line:column: path: message}, one per line, on stderr. */
final class ProblemPrinter {
    private ProblemPrinter() {}

    static void print(PrintWriter err, List<Problem> problems) {
        for (Problem p : problems) {
            err.println(p);
        }
    }

    /**
     * Warns of each runbook variable set in the environment that this run of the plan does not
     * read. On stderr only, not in the plan-diff: a variable with no effect changes nothing the
     * run would do, so it must not change the planDigest a saved plan is applied by.
     */
    static void printUnreadVariables(dev.dr.command.Context ctx, dev.dr.plan.load.LoadedPlan loaded,
                                     List<dev.dr.diff.PhaseDecision> decisions, dev.dr.catalog.StepCatalog steps) {
        dev.dr.diff.RunbookVariables.warnings(ctx.env(), loaded, decisions, steps)
                .forEach(w -> ctx.err().println("dr: warning: " + w));
    }

    /** Exit code for a set of problems: invalid beats a refused guard. */
    static int exitCode(List<Problem> problems) {
        List<Problem> errors = problems.stream().filter(Problem::isError).toList();
        if (errors.isEmpty()) {
            return ExitCodes.OK;
        }
        return errors.stream().allMatch(p -> p.kind() == Problem.Kind.GUARD) ? ExitCodes.GUARD_REFUSED : ExitCodes.INVALID;
    }
}
