package dev.dr.cli;

import dev.dr.plan.load.Overrides;
import dev.dr.plan.model.PhaseName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The command that reruns only one phase of a run in a new run, against the same environment:
 * {@code dr apply FILE --start-at P --stop-after P --from-receipt RUN_DIR} and the flags of the
 * command that was refused, which still apply. What a refused resume prints when the plan
 * itself changed.
 */
final class RerunCommand {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private RerunCommand() {}

    /**
     * Says why the resumed run cannot continue under {@code bound}, and, when it left a phase
     * unfinished, the command that reruns only that phase.
     */
    static void refuse(java.io.PrintWriter err, ResumedRun resumed, String bound, List<dev.dr.diff.PhaseDecision> decisions,
                       String file, Overrides overrides, List<String> flags, Map<String, String> env) {
        String why = resumed.mismatch(bound).orElseThrow();
        err.println("dr: cannot resume " + resumed.id() + ": " + why + ". The plan, a plan it extends, a variable"
                + " it reads or a flag changed since the run started, so the run cannot continue. Nothing was run.");
        java.util.Optional<PhaseName> unfinished = resumed.firstUnfinished(decisions);
        if (unfinished.isPresent()) {
            err.println("To rerun only " + unfinished.get().id() + " with the plan as it is now, in a new run against"
                    + " the same environment:");
            err.println("  " + of(file, unfinished.get(), resumed.dir(), overrides, flags, env));
        }
    }

    /**
     * @param file      the plan file as given
     * @param phase     the phase to rerun
     * @param runDir    the receipts of the run whose environment the rerun reuses
     * @param overrides the overrides given to the refused command; its boundaries and
     *                  --from-receipt are replaced
     * @param flags     the apply flags given to the refused command that still apply (--yes,
     *                  --kubeconfig FILE, …), in order
     * @param env       the environment: a RUN_ID there would make the new run write into the old
     *                  one's folder, so the command names a fresh one
     */
    static String of(String file, PhaseName phase, Path runDir, Overrides overrides, List<String> flags,
                     Map<String, String> env) {
        List<String> words = new ArrayList<>();
        String runId = env.get("RUN_ID");
        if (runId != null && !runId.isBlank()) {
            words.add("RUN_ID=" + freshRunId(runDir, runDir.getFileName().toString(), phase));
        }
        words.addAll(List.of("dr", "apply", file, "--start-at", phase.id(), "--stop-after", phase.id(),
                "--from-receipt", runDir.toString()));
        option(words, "--teardown", overrides.teardown());
        option(words, "--auto-promote", overrides.autoPromote());
        option(words, "--allow-promote-bypass", overrides.allowPromoteBypass());
        if ("--allow-full-drill".equals(overrides.allowFullDrillFrom())) {
            option(words, "--allow-full-drill", overrides.allowFullDrill()); // ALLOW_FULL_DRILL=1 stays in the environment
        }
        if (overrides.noRetry()) {
            words.add("--no-retry");
        } else if (overrides.maxAttempts() != null) {
            words.addAll(List.of("--max-attempts", overrides.maxAttempts().toString()));
        }
        if (overrides.receiptDirIsBringupReceipt()) {
            // the run was given --receipt-dir <bringup receipt>: its receipts went beside that run
            words.addAll(List.of("--receipt-dir", overrides.receiptDirBeside()));
        } else if (overrides.receiptDir() != null) {
            words.addAll(List.of("--receipt-dir", overrides.receiptDir()));
        }
        overrides.inputs().forEach((name, given) -> {
            if (given.flag().startsWith("--set")) {
                words.addAll(List.of("--set", name + "=" + given.value()));
            } else {
                words.addAll(List.of(given.flag(), given.value()));
            }
        });
        if (overrides.namespace() != null) {
            words.addAll(List.of("--namespace", overrides.namespace()));
        }
        words.addAll(flags);
        return String.join(" ", words.stream().map(RerunCommand::quoted).toList());
    }

    /** {@code <run>-<phase>-rerun}, numbered when that folder is taken. */
    private static String freshRunId(Path runDir, String runId, PhaseName phase) {
        String base = runId + "-" + phase.id() + "-rerun";
        Path receipts = runDir.getParent();
        String id = base;
        for (int n = 2; receipts != null && Files.exists(receipts.resolve(id)); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    private static void option(List<String> words, String name, Boolean value) {
        if (value != null) {
            words.add(name + "=" + value);
        }
    }

    /** A word as a POSIX shell reads it back: single-quoted unless it is plain. */
    static String quoted(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
