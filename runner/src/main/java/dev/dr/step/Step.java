package dev.dr.step;

import java.util.List;

/**
 * A step of a drill, found by {@link java.util.ServiceLoader} and named in plans by
 * {@code uses:}. This is the part of the step interface that checking and previewing a plan
 * offline needs; the execution methods are added with the engine.
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

    /** What the step touches as far as the plan alone tells; empty for a step that only reads. */
    default List<OfflineChange> offlineChanges() {
        return List.of(new OfflineChange("unknown", name()));
    }
}
