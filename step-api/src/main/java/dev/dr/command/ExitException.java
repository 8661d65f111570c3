package dev.dr.command;

import java.io.PrintWriter;

/**
 * Ends a command with an exit code of {@link ExitCodes} and, unless the command already said
 * why, one line on stderr. Commands throw it; {@link Main} maps it to the exit code in one place
 * and prints its line as {@code <who>: <message>}, where who is {@code dr} or the command
 * ({@code dr compile}).
 */
public final class ExitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String who;

    private ExitException(int code, String who, String message) {
        super(message, null, false, false); // a refusal, not a bug: no stack trace to fill
        this.code = code;
        this.who = who;
    }

    /** The plan, a file or the command line is not what dr can use (exit 2). */
    public static ExitException invalidInput(String message) {
        return new ExitException(ExitCodes.INVALID, "dr", message);
    }

    /** A guard, the lock or a confirmation refused the command (exit 3). */
    public static ExitException guardRefused(String message) {
        return new ExitException(ExitCodes.GUARD_REFUSED, "dr", message);
    }

    /** A phase (or the operation the command ran) failed (exit 1). */
    public static ExitException phaseFailed(String message) {
        return new ExitException(ExitCodes.PHASE_FAILED, "dr", message);
    }

    /** The command already said why on stderr: only the exit code is left to give. */
    public static ExitException reported(int code) {
        return new ExitException(code, "dr", null);
    }

    /** The same exit, its line said as {@code who} ({@code dr compile}) instead of {@code dr}. */
    public ExitException as(String who) {
        return new ExitException(code, who, getMessage());
    }

    public int code() {
        return code;
    }

    /** Says the exception's line, if it has one, and returns its exit code. */
    public int report(PrintWriter err) {
        if (getMessage() != null) {
            err.println(who + ": " + getMessage());
        }
        return code;
    }
}
