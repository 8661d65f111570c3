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

    /** Exit code for a set of problems: invalid beats a refused guard. */
    static int exitCode(List<Problem> problems) {
        List<Problem> errors = problems.stream().filter(Problem::isError).toList();
        if (errors.isEmpty()) {
            return ExitCodes.OK;
        }
        return errors.stream().allMatch(p -> p.kind() == Problem.Kind.GUARD) ? ExitCodes.GUARD_REFUSED : ExitCodes.INVALID;
    }
}
