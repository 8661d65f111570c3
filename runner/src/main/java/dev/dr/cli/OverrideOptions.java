package dev.dr.cli;

import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanInputs;
import dev.dr.source.Suggestions;
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

    @Option(names = "--receipt-dir", paramLabel = "DIR",
            description = "Folder for receipts, each run in DIR/<runId> (overrides run.receiptDir). When DIR is an earlier"
                    + " run's own folder, as the runbook's --receipt-dir <bringup receipt>: this run reuses its outputs"
                    + " (as --from-receipt DIR) and writes its receipts beside it.")
    String receiptDir;

    @Option(names = "--from-receipt", paramLabel = "DIR",
            description = "Receipt folder of an earlier run (e.g. a bringup) whose kubeconfig this run reuses"
                    + " (overrides run.fromReceipt).")
    String fromReceipt;

    @Option(names = "--backup-uri", paramLabel = "URI",
            description = "Backup to restore, s3://<bucket>/<prefix>/backups/<backup_id> (sets inputs.backupUri, as BACKUP_URI would).")
    String backupUri;

    @Option(names = "--image-ref", paramLabel = "REF",
            description = "Release image, <repo>@sha256:<digest> (sets inputs.imageRef, as IMAGE_REF would).")
    String imageRef;

    @Option(names = "--namespace", paramLabel = "NAME",
            description = "Kubernetes namespace of the workloads (overrides target.namespace, as NAMESPACE would).")
    String namespace;

    @Option(names = "--set", paramLabel = "NAME=VALUE", mapFallbackValue = "",
            description = "Set the plan input NAME (backupUri, imageRef, bucket, prefix, allowTagImageRef); repeatable.")
    java.util.Map<String, String> set = new java.util.LinkedHashMap<>();

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
        // the inputs given here are the worker's too: its plan reads the same ones
        if (backupUri != null) {
            out.addAll(java.util.List.of("--backup-uri", backupUri));
        }
        if (imageRef != null) {
            out.addAll(java.util.List.of("--image-ref", imageRef));
        }
        set.forEach((k, v) -> out.addAll(java.util.List.of("--set", k + "=" + v)));
        if (namespace != null) {
            out.addAll(java.util.List.of("--namespace", namespace));
        }
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
                || receiptDir != null || fromReceipt != null || backupUri != null || imageRef != null || !set.isEmpty()
                || namespace != null;
    }

    /**
     * @throws IllegalArgumentException --phase given with --start-at or --stop-after, an input
     *                                  the plan language does not have, or one input given twice
     */
    Overrides toOverrides(java.util.Map<String, String> env, java.nio.file.Path cwd) {
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
        String reused = fromReceipt;
        if (receiptDir != null && dev.dr.receipt.ReceiptReader.isRunFolder(cwd.resolve(receiptDir))) {
            if (fromReceipt != null) {
                throw new IllegalArgumentException("--receipt-dir " + receiptDir + " is an earlier run's receipt folder,"
                        + " whose outputs this run would reuse, and --from-receipt " + fromReceipt + " names another;"
                        + " give one of them");
            }
            reused = receiptDir; // both the same: see Overrides#receiptDirIsBringupReceipt
        }
        return new Overrides(start, stop, validateOnly, teardown, autoPromote, allowPromoteBypass,
                fullDrill, from, receiptDir, reused, maxAttempts, noRetry, inputs(), namespace);
    }

    private java.util.Map<String, Overrides.GivenInput> inputs() {
        java.util.Map<String, Overrides.GivenInput> out = new java.util.TreeMap<>();
        if (backupUri != null) {
            out.put("backupUri", new Overrides.GivenInput(backupUri, "--backup-uri"));
        }
        if (imageRef != null) {
            out.put("imageRef", new Overrides.GivenInput(imageRef, "--image-ref"));
        }
        if (set.isEmpty()) {
            return out; // the schema is read only for --set, not on every preview
        }
        java.util.Map<String, String> types = PlanInputs.types(dev.dr.plan.load.PlanLoader.planSchema());
        java.util.Set<String> known = types.keySet();
        for (java.util.Map.Entry<String, String> e : set.entrySet()) {
            String name = e.getKey();
            if ("boolean".equals(types.get(name)) && !e.getValue().matches("true|false")) {
                throw new IllegalArgumentException("--set " + name + "=" + e.getValue() + ": expected true or false");
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException("--set " + name + "=…: the plan has no input '" + name + "'; expected one of "
                        + String.join(", ", known) + Suggestions.hint(name, known));
            }
            Overrides.GivenInput earlier = out.get(name);
            if (earlier != null) {
                throw new IllegalArgumentException("--set " + name + " and " + earlier.flag() + " both give inputs." + name
                        + "; give it once");
            }
            out.put(name, new Overrides.GivenInput(e.getValue(), "--set " + name));
        }
        return out;
    }
}
