package dev.dr.cli;

import dev.dr.command.Context;
import dev.dr.command.ExitException;
import java.io.IOException;

/** The general "apply this plan?": answered by --yes, or by typing yes at a terminal. */
final class OperatorConfirmation {
    private OperatorConfirmation() {}

    /** Returns when the operator confirmed; otherwise ends the command, nothing run. */
    static void confirm(Context ctx, boolean yes) throws IOException {
        if (yes) {
            return;
        }
        if (!ctx.tty()) {
            throw ExitException.invalidInput("no terminal to confirm on; pass --yes to apply without a prompt."
                    + " Nothing was run.");
        }
        ctx.err().print("Apply this plan? Only 'yes' is accepted: ");
        ctx.err().flush();
        String answer = ctx.in().readLine();
        if (!"yes".equals(answer == null ? null : answer.strip())) {
            throw ExitException.guardRefused("apply cancelled; nothing was run");
        }
    }
}
