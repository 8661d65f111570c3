package dev.dr.step;

import java.util.Arrays;
import java.util.List;

/**
 * Classes of failure a step reports. Retry budgets name the transient ones; PERMANENT and
 * STALE_PREVIEW are never retried, so plans cannot name them.
 */
public enum ErrorClass {
    IMAGE_PULL_AUTH("image-pull-auth"),
    INSUFFICIENT_MEMORY("insufficient-memory"),
    THROTTLED("throttled"),
    CONFLICT("conflict"),
    TIMEOUT("timeout"),
    NOT_FOUND("not-found"),
    UNAVAILABLE("unavailable"),
    /**
     * Live state moved between the plan-diff the operator approved and the step's apply (a saved
     * terraform plan terraform calls stale): the step refuses to apply what was shown. Never
     * retried; {@code dr apply} ends with exit 3, and a new run shows the new plan-diff.
     */
    STALE_PREVIEW("stale-preview"),
    PERMANENT("permanent");

    private final String id;

    ErrorClass(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public boolean retryable() {
        return this != PERMANENT && this != STALE_PREVIEW;
    }

    public static ErrorClass of(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown error class '" + id + "'"));
    }

    public static List<String> retryableIds() {
        return Arrays.stream(values()).filter(ErrorClass::retryable).map(ErrorClass::id).toList();
    }
}
