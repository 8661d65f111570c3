package dev.dr.engine;

/**
 * What the engine reports as it runs: receipts and progress are written by listeners, so the
 * engine itself touches no files and no terminal.
 */
public interface EngineListener {

    default void phaseStarted(String phase) {}

    default void attemptFinished(String phase, Attempt attempt) {}

    /** Called once per phase, run or skipped, when its outcome is final. */
    void phaseFinished(PhaseOutcome outcome);

    /** A phase that succeeded in the run being resumed: not run again, its receipt kept. */
    default void phaseReused(PhaseOutcome outcome) {}

    /** A line of a phase's log, written by a step or by the engine. */
    default void log(String phase, String line) {}

    /** How far a step's long transfer has come; for the operator's eyes, not for the log. */
    default void progress(String phase, String line) {}
}
