package dev.dr.cli;

import dev.dr.plan.load.Overrides;
import picocli.CommandLine.Option;

/** The runbook's dr_drill flags, as overrides of the plan's run settings. */
final class OverrideOptions {

    @Option(names = "--start-at", paramLabel = "PHASE", description = "First phase to run (overrides run.startAt).")
    String startAt;

    @Option(names = "--stop-after", paramLabel = "PHASE", description = "Last phase to run (overrides run.stopAfter).")
    String stopAfter;

    @Option(names = "--phase", paramLabel = "PHASE",
            description = "Run this one phase: start at it and stop after it (instead of --start-at and --stop-after).")
    String phase;

    @Option(names = "--validate-only", arity = "0..1", paramLabel = "BOOL", description = "Run only the validate phase.")
    Boolean validateOnly;

    @Option(names = "--teardown", arity = "0..1", paramLabel = "BOOL", description = "Run teardown when within the boundaries (true|false).")
    Boolean teardown;

    @Option(names = "--auto-promote", arity = "0..1", paramLabel = "BOOL", description = "Run the promote phase (true|false).")
    Boolean autoPromote;

    @Option(names = "--allow-promote-bypass", arity = "0..1", paramLabel = "BOOL",
            description = "Record a drill bypass instead of waiting for an approval.")
    Boolean allowPromoteBypass;

    @Option(names = "--allow-full-drill", arity = "0..1", paramLabel = "BOOL",
            description = "Allow a full drill (also ALLOW_FULL_DRILL=1). Release validation only.")
    Boolean allowFullDrill;

    @Option(names = "--max-attempts", paramLabel = "N", description = "Cap every phase at N attempts (1..10).")
    Integer maxAttempts;

    @Option(names = "--no-retry", description = "One attempt per phase.")
    boolean noRetry;

    @Option(names = "--receipt-dir", paramLabel = "DIR", description = "Folder for receipts (overrides run.receiptDir).")
    String receiptDir;

    @Option(names = "--from-receipt", paramLabel = "DIR",
            description = "Receipt folder of an earlier run (e.g. a bringup) whose kubeconfig this run reuses"
                    + " (overrides run.fromReceipt; the runbook passed it as --receipt-dir).")
    String fromReceipt;

    /**
     * The opt-ins given here as dr apply flags, for a worker that applies one phase of the same
     * plan: the boundaries, the receipt folders and the attempt cap are the state machine's
     * business, and a single phase is never a full drill.
     */
    java.util.List<String> optInFlags() {
        java.util.List<String> out = new java.util.ArrayList<>();
        flag(out, "--validate-only", validateOnly);
        flag(out, "--teardown", teardown);
        flag(out, "--auto-promote", autoPromote);
        flag(out, "--allow-promote-bypass", allowPromoteBypass);
        return out;
    }

    private static void flag(java.util.List<String> out, String name, Boolean value) {
        if (value != null) {
            out.add(name);
            out.add(value.toString());
        }
    }

    /** True when any override was given on the command line. */
    boolean any() {
        return startAt != null || stopAfter != null || phase != null || validateOnly != null || teardown != null || autoPromote != null
                || allowPromoteBypass != null || allowFullDrill != null || maxAttempts != null || noRetry
                || receiptDir != null || fromReceipt != null;
    }

    /** @throws IllegalArgumentException --phase given with --start-at or --stop-after */
    Overrides toOverrides(java.util.Map<String, String> env) {
        if (phase != null && (startAt != null || stopAfter != null)) {
            throw new IllegalArgumentException("--phase " + phase + " is both boundaries: give it without --start-at and"
                    + " --stop-after");
        }
        String start = phase != null ? phase : startAt;
        String stop = phase != null ? phase : stopAfter;
        Boolean fullDrill = allowFullDrill;
        String from = null;
        if (fullDrill == null && "1".equals(env.get("ALLOW_FULL_DRILL"))) {
            fullDrill = Boolean.TRUE;
            from = "ALLOW_FULL_DRILL=1";
        }
        return new Overrides(start, stop, validateOnly, teardown, autoPromote, allowPromoteBypass,
                fullDrill, from, receiptDir, fromReceipt, maxAttempts, noRetry);
    }
}
