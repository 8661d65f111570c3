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
     * Makes the step's changes. Called once per attempt; must be safe to call again after a
     * failed attempt. Must stop promptly when the thread is interrupted (the phase timed out
     * or the operator pressed Ctrl-C).
     *
     * @return outputs for the receipt (e.g. {@code kubeconfig}: a path), never secrets
     */
    StepResult apply(StepContext ctx) throws StepFailure, InterruptedException;
}
