package dev.dr.diff;

import dev.dr.plan.model.Phase;
import java.util.Objects;

/**
 * Whether a phase runs, and if not, why, as one of a fixed set of reason kinds that scripts
 * and receipts rely on.
 */
public record PhaseDecision(Phase phase, boolean runs, SkipReason reason, String detail) {

    /** The fixed reason kinds; their ids appear in the plan-diff JSON and in receipts. */
    public enum SkipReason {
        BEFORE_START_AT("before-start-at"),
        AFTER_STOP_AFTER("after-stop-after"),
        VALIDATE_ONLY("validate-only"),
        PROMOTE_NOT_REQUESTED("promote-not-requested"),
        TEARDOWN_NOT_REQUESTED("teardown-not-requested"),
        FULL_DRILL_NOT_ALLOWED("full-drill-not-allowed"),
        UPSTREAM_FAILED("upstream-failed");

        private final String id;

        SkipReason(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public PhaseDecision {
        Objects.requireNonNull(phase, "phase");
        if (runs != (reason == null)) {
            throw new IllegalArgumentException("a phase that runs has no skip reason, and one that is skipped has one");
        }
        detail = detail == null ? "" : detail;
    }

    public static PhaseDecision run(Phase p) {
        return new PhaseDecision(p, true, null, "");
    }

    public static PhaseDecision skip(Phase p, SkipReason reason, String detail) {
        return new PhaseDecision(p, false, reason, detail);
    }
}
