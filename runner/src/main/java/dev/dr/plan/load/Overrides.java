package dev.dr.plan.load;

import java.util.Optional;

/**
 * Values given on the command line that replace the plan's own, each named by the flag that
 * gave it so the plan-diff can show where it came from. Null means "not given".
 *
 * @param allowFullDrillFrom the flag or variable that allowed a full drill, e.g. {@code ALLOW_FULL_DRILL=1}
 * @param fromReceipt        receipt folder of an earlier run whose outputs (kubeconfig) this run reuses
 * @param maxAttempts        caps every phase's attempts
 * @param noRetry            one attempt per phase
 */
public record Overrides(String startAt, String stopAfter, Boolean validateOnly, Boolean teardown,
                        Boolean autoPromote, Boolean allowPromoteBypass, Boolean allowFullDrill,
                        String allowFullDrillFrom, String receiptDir, String fromReceipt, Integer maxAttempts,
                        boolean noRetry) {

    public static final Overrides NONE = new Overrides(null, null, null, null, null, null, null, null, null, null, null, false);

    public Overrides {
        if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > 10)) {
            throw new IllegalArgumentException("--max-attempts must be between 1 and 10, was " + maxAttempts);
        }
        if (allowFullDrill != null && allowFullDrillFrom == null) {
            allowFullDrillFrom = "--allow-full-drill";
        }
    }

    /** The attempt cap these overrides put on every phase, if any. */
    public Optional<Integer> attemptCap() {
        if (noRetry) {
            return Optional.of(1);
        }
        return Optional.ofNullable(maxAttempts);
    }
}
