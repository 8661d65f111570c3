package dev.dr.plan.load;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Values given on the command line that replace the plan's own, each named by the flag that
 * gave it so the plan-diff can show where it came from. Null means "not given".
 *
 * @param allowFullDrillFrom the flag or variable that allowed a full drill, e.g. {@code ALLOW_FULL_DRILL=1}
 * @param receiptDir         the base folder this run's receipt folder {@code <runId>} goes in; equal to
 *                           {@code fromReceipt} when {@code --receipt-dir} named a bringup's own receipt
 *                           folder, as the runbook's iteration modes pass it (see {@link #receiptDirIsBringupReceipt})
 * @param fromReceipt        receipt folder of an earlier run whose outputs (kubeconfig) this run reuses
 * @param maxAttempts        caps every phase's attempts
 * @param noRetry            one attempt per phase
 * @param inputs             plan inputs given on the command line ({@code --backup-uri},
 *                           {@code --image-ref}, {@code --set name=value}), by input name, each
 *                           with the flag that gave it; taken as written, never interpolated
 * @param namespace          the Kubernetes namespace ({@code --namespace}) in place of target.namespace
 */
public record Overrides(String startAt, String stopAfter, Boolean validateOnly, Boolean teardown,
                        Boolean autoPromote, Boolean allowPromoteBypass, Boolean allowFullDrill,
                        String allowFullDrillFrom, String receiptDir, String fromReceipt, Integer maxAttempts,
                        boolean noRetry, Map<String, GivenInput> inputs, String namespace) {

    public static final Overrides NONE = new Overrides(null, null, null, null, null, null, null, null, null, null, null, false);

    /** A plan input given on the command line, and the flag that gave it ({@code --set backupUri}). */
    public record GivenInput(String value, String flag) {}

    /** Overrides that give no plan input. */
    public Overrides(String startAt, String stopAfter, Boolean validateOnly, Boolean teardown,
                     Boolean autoPromote, Boolean allowPromoteBypass, Boolean allowFullDrill,
                     String allowFullDrillFrom, String receiptDir, String fromReceipt, Integer maxAttempts,
                     boolean noRetry) {
        this(startAt, stopAfter, validateOnly, teardown, autoPromote, allowPromoteBypass, allowFullDrill,
                allowFullDrillFrom, receiptDir, fromReceipt, maxAttempts, noRetry, Map.of());
    }

    /** Overrides that leave the target's namespace to the plan. */
    public Overrides(String startAt, String stopAfter, Boolean validateOnly, Boolean teardown,
                     Boolean autoPromote, Boolean allowPromoteBypass, Boolean allowFullDrill,
                     String allowFullDrillFrom, String receiptDir, String fromReceipt, Integer maxAttempts,
                     boolean noRetry, Map<String, GivenInput> inputs) {
        this(startAt, stopAfter, validateOnly, teardown, autoPromote, allowPromoteBypass, allowFullDrill,
                allowFullDrillFrom, receiptDir, fromReceipt, maxAttempts, noRetry, inputs, null);
    }

    public Overrides {
        inputs = java.util.Collections.unmodifiableMap(new TreeMap<>(inputs));
        if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > 10)) {
            throw new IllegalArgumentException("--max-attempts must be between 1 and 10, was " + maxAttempts);
        }
        if (allowFullDrill != null && allowFullDrillFrom == null) {
            allowFullDrillFrom = "--allow-full-drill";
        }
    }

    /**
     * True when {@code --receipt-dir} named an earlier run's folder (the runbook's
     * {@code --receipt-dir <bringup receipt>}): given as both receiptDir and fromReceipt, since a
     * run never writes its receipts inside the run it reuses. Its outputs load from it, and this
     * run's receipts go beside it ({@link #receiptDirBeside}).
     */
    public boolean receiptDirIsBringupReceipt() {
        return receiptDir != null && receiptDir.equals(fromReceipt);
    }

    /** The folder that holds the bringup receipt {@code --receipt-dir} named: where this run's receipts go. */
    public String receiptDirBeside() {
        java.nio.file.Path parent = java.nio.file.Path.of(receiptDir).normalize().getParent();
        return parent == null ? "." : parent.toString();
    }

    /** The attempt cap these overrides put on every phase, if any. */
    public Optional<Integer> attemptCap() {
        if (noRetry) {
            return Optional.of(1);
        }
        return Optional.ofNullable(maxAttempts);
    }
}
