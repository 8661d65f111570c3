package dev.dr.step;

import java.util.List;

/**
 * A step of a drill, found by {@link java.util.ServiceLoader} and named in plans by
 * {@code uses:}. Checking and the offline preview need only the descriptive methods;
 * {@link #apply} makes the changes. A step reports a failure as a {@link StepFailure} of a
 * class the phase's retry budget reads; anything else it throws counts as permanent.
 */
public interface Step {

    /** The name plans use, e.g. {@code k8s.run-job}. */
    String name();

    /** One sentence for {@code dr steps}. */
    String description();

    /** How exact this step's preview is. */
    PreviewKind previewKind();

    /** JSON Schema (2020-12) of the step's {@code with:} settings, as JSON text. */
    String withSchema();

    /** Plan settings the step reads besides {@code with:}, as dotted paths (e.g. {@code inputs.imageRef}). */
    default List<String> reads() {
        return List.of();
    }

    /**
     * The {@code with:} settings that name a folder, relative to the working directory, the step
     * needs (e.g. {@code dir} of {@code terraform.apply}). {@code dr apply} refuses a plan whose
     * running phase names a folder that is not there (exit 2, at the setting's file:line:column,
     * nothing run); {@code dr plan} warns.
     */
    default List<String> folderSettings() {
        return List.of();
    }

    /**
     * Outputs this step cannot run without, from an earlier step of the run or the run it reuses
     * (run.fromReceipt): {@code kubeconfig} for a step that talks to the DR cluster. dr refuses a
     * run in which nothing gives one before anything runs (exit 3), rather than let the step fall
     * back to whatever the environment names.
     */
    default java.util.Set<String> needsOutputs() {
        return java.util.Set.of();
    }

    /** Outputs this step gives the steps after it, e.g. {@code kubeconfig} from a bringup. */
    default java.util.Set<String> givesOutputs() {
        return java.util.Set.of();
    }

    /**
     * Environment variables the step reads itself, by name or by a prefix ending in {@code *}
     * ({@code TF_BACKEND_*}). dr names in a warning a runbook variable that is set while no
     * step that runs reads it.
     */
    default List<String> environment() {
        return List.of();
    }

    /** What the step touches as far as the plan alone tells; empty for a step that only reads. */
    default List<Change> offlineChanges() {
        return List.of(new Change("unknown", name()));
    }

    /**
     * Looks at live state and says what {@link #apply} would change. Must not change anything:
     * in a preview the context is {@linkplain StepContext#readOnly() read-only} and the clients
     * a step opens through it refuse mutating calls. Empty when the step has no live view (the
     * plan-diff then shows {@link #offlineChanges}).
     */
    default java.util.Optional<List<Change>> preview(StepContext ctx) throws StepFailure, InterruptedException {
        return java.util.Optional.empty();
    }

    /**
     * Whether the live preview needs an earlier run to find what it looks at (the kubeconfig or
     * endpoint a bringup left, read from the receipts {@code run.fromReceipt} names). A step whose
     * preview looks only at what the plan itself names (a terraform folder and its state) says
     * false: its live preview then runs even when the plan names no earlier run, so the plan-diff
     * of a bringup lists what it will create.
     */
    default boolean previewNeedsEarlierRun() {
        return true;
    }

    /**
     * Makes the step's changes. Called once per attempt; must be safe to call again after a
     * failed attempt. Must stop promptly when the thread is interrupted (the phase timed out
     * or the operator pressed Ctrl-C).
     *
     * @return outputs for the receipt (e.g. {@code kubeconfig}: a path), never secrets
     */
    StepResult apply(StepContext ctx) throws StepFailure, InterruptedException;
}
