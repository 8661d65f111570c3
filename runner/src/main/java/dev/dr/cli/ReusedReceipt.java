package dev.dr.cli;

import dev.dr.command.Context;
import dev.dr.command.ExitException;
import dev.dr.diff.PhaseDecision;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.model.Plan;
import dev.dr.receipt.ReceiptReader;
import dev.dr.source.NodePath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The earlier run a run reuses (run.fromReceipt): the outputs its steps get, such as the
 * kubeconfig bringup left, and whether this run reruns a phase that run left unfinished.
 *
 * @param dir     the earlier run's folder, when the plan names one
 * @param outputs what its phases that succeeded left, with --kubeconfig over theirs
 * @param rerunOf the earlier run's id when it left a phase this run runs unfinished, else null
 */
record ReusedReceipt(Optional<Path> dir, Map<String, String> outputs, String rerunOf) {
    ReusedReceipt {
        outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs)); // keeps their order
    }

    /**
     * Reads the run the plan reuses; an unreadable one ends the command (nothing run), naming no
     * path when the plan marks it secret.
     *
     * @param kubeconfig --kubeconfig, or null
     */
    static ReusedReceipt read(Context ctx, LoadedPlan loaded, List<PhaseDecision> decisions, String kubeconfig) {
        Plan plan = loaded.plan().orElseThrow();
        Map<String, String> outputs = new LinkedHashMap<>();
        Optional<Path> dir = Optional.empty();
        String rerunOf = null;
        if (!plan.run().fromReceipt().isEmpty()) {
            dir = Optional.of(ctx.cwd().resolve(plan.run().fromReceipt()).normalize());
            try {
                outputs.putAll(ReceiptReader.outputs(dir.get()));
            } catch (IOException e) {
                boolean secret = loaded.sensitive().contains(NodePath.of("run", "fromReceipt"));
                throw ExitException.invalidInput("cannot reuse run.fromReceipt: "
                        + (secret ? "it names no readable receipt" : e.getMessage()) + "; nothing was run");
            }
            if (ResumedRun.leftUnfinished(dir.get(), decisions)) {
                rerunOf = dir.get().getFileName().toString();
            }
        }
        if (kubeconfig != null) {
            // an explicit kubeconfig wins over the one of an earlier run
            outputs.put("kubeconfig", ctx.resolve(kubeconfig).toString());
        }
        return new ReusedReceipt(dir, outputs, rerunOf);
    }

    /** For the preview: the outputs of the run the plan reuses, or none (the run reports a problem with it). */
    static Map<String, String> previewOutputs(Context ctx, Plan plan) {
        if (plan.run().fromReceipt().isEmpty()) {
            return Map.of();
        }
        try {
            return ReceiptReader.outputs(ctx.cwd().resolve(plan.run().fromReceipt()));
        } catch (IOException e) {
            return Map.of();
        }
    }
}
