package dev.dr.command;

/** The exit codes of dr, in one place (see the README). */
public final class ExitCodes {
    /** Done, or nothing to change. */
    public static final int OK = 0;
    /** A phase failed. */
    public static final int PHASE_FAILED = 1;
    /** The plan is invalid, or the command line is. */
    public static final int INVALID = 2;
    /**
     * A guard refused: account, region, image, full drill, lock, confirmation; or live state moved
     * since the plan-diff was shown (a step failed with class stale-preview).
     */
    public static final int GUARD_REFUSED = 3;
    /** A bug or an unexpected failure of dr itself. */
    public static final int INTERNAL = 4;
    /** With --detailed-exitcode on plan: the plan-diff has changes. */
    public static final int CHANGES_PENDING = 10;

    private ExitCodes() {}
}
