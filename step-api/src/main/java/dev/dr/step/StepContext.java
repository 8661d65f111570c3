package dev.dr.step;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What a step may see and use while it runs. A step reads plan values through
 * {@link #setting}, never from the environment, so the plan-diff shows every value it uses.
 */
public interface StepContext {

    /** The step's {@code with:} settings, defaults filled in. */
    JsonNode with();

    /** A plan value by dotted path, e.g. {@code target.namespace} or {@code inputs.imageRef}. */
    Optional<String> setting(String path);

    /** Outputs of earlier phases of this run and of the run named by {@code run.fromReceipt}. */
    Map<String, String> outputs();

    /** A folder of this run's receipt where the step may keep files (e.g. a kubeconfig). */
    Path workDir();

    /**
     * The run's receipt folder, for the few files the runbook names at its top
     * ({@code kubeconfig.yaml}, {@code state_transitions.log}, …), beside {@code drill.summary.json}.
     * A step writes there only files it owns, never secrets except a kubeconfig (owner-only).
     * Contexts without a receipt of their own (a preview, a test) give {@link #workDir()}.
     */
    default Path receiptDir() {
        return workDir();
    }

    /**
     * A private folder that this step's live preview and its apply share within one
     * {@code dr apply}, for what the preview computed and the apply must use as it was shown (a
     * saved terraform plan): the same folder in both, one per step of the plan. Owner-only
     * (0700), outside the receipts, removed when the run ends, so it may hold secrets. Empty
     * where no apply follows the preview in the same process ({@code dr plan}, a test) and where
     * the apply's step was not previewed live in this process; a step must then work without it.
     * A preview may write only here.
     */
    default Optional<Path> handoffDir() {
        return Optional.empty();
    }

    /** Appends a line to the phase's log (in the receipt); never pass secrets. */
    void log(String line);

    /**
     * Reports how far a long transfer has come (e.g. bytes restored so far). Shown to the operator
     * on stderr as it happens; not kept in the log, which gets the step's own summary line.
     */
    default void progress(String line) {}

    /** True in a preview: nothing may change, and clients opened for the step refuse mutating calls. */
    default boolean readOnly() {
        return false;
    }
}
