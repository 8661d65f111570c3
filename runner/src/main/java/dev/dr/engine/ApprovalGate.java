package dev.dr.engine;

import dev.dr.plan.model.Phase;

/**
 * Holds a phase whose plan requires an approval (the promote phase) until it is given. The
 * engine asks before the phase's first attempt; a refusal fails the phase with reason kind
 * {@code approval} and runs none of its steps.
 */
public interface ApprovalGate {

    /** Opens at once: for plans whose gate is bypassed and for tests. */
    ApprovalGate OPEN = (phase, runId) -> null;

    /**
     * Waits until the phase may run.
     *
     * @return null when approved, else why the gate stays shut
     */
    String await(Phase phase, String runId) throws InterruptedException;
}
