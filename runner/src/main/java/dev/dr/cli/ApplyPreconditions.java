package dev.dr.cli;

import dev.dr.catalog.StepCatalog;
import dev.dr.command.ExitException;
import dev.dr.diff.PhaseDecision;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.model.StepUse;
import dev.dr.step.Step;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What must hold before dr apply may start, each checked from the plan and the plan-diff alone
 * (nothing live): the first that fails ends the command with its one line.
 */
final class ApplyPreconditions {
    private ApplyPreconditions() {}

    /** A saved plan applies only while the plan still gives the plan-diff it saved. */
    static void savedPlanHolds(SavedPlan saved, String file, String planDigest) {
        if (saved != null && !saved.planDigest().equals(planDigest)) {
            throw ExitException.guardRefused("the plan no longer gives the saved plan-diff: " + file + " has planDigest "
                    + saved.planDigest() + ", the plan now gives " + planDigest + ". The plan, a plan it extends or a"
                    + " variable it reads changed since dr plan --out; preview it again. Nothing was run.");
        }
    }

    /** A plan with an unset variable would run with a hole in it. */
    static void noUnsetVariables(LoadedPlan loaded) {
        if (!loaded.unset().isEmpty()) {
            throw ExitException.invalidInput("apply refuses to run with unset variables: "
                    + String.join(", ", loaded.unset())
                    + "; set them, or give the plan a default (${VAR:-value}); nothing was run");
        }
    }

    /** The output a step that talks to the DR cluster needs. */
    static final String KUBECONFIG = "kubeconfig";

    /**
     * Every step that runs gets the outputs it needs (the DR cluster's kubeconfig) from a step
     * before it in this run (bringup), the run it reuses or --kubeconfig: never from KUBECONFIG or
     * ~/.kube/config, which name whatever cluster the operator last used, often the primary.
     *
     * @param given the outputs the run starts with: the reused receipt's, a resumed run's kept
     *              phases', and {@code kubeconfig} when --kubeconfig was given
     * @return whether a step of the run talks to the DR cluster
     */
    static boolean outputsGiven(List<PhaseDecision> decisions, StepCatalog steps, Set<String> given, Map<String, String> env) {
        Set<String> have = new HashSet<>(given);
        boolean cluster = false;
        for (PhaseDecision d : decisions) {
            if (!d.runs()) {
                continue;
            }
            for (StepUse use : d.phase().steps()) {
                Optional<Step> step = steps.implementation(use.uses());
                if (step.isEmpty()) {
                    continue;
                }
                for (String need : step.get().needsOutputs()) {
                    cluster |= KUBECONFIG.equals(need);
                    if (!have.contains(need)) {
                        throw ExitException.guardRefused(missing(d.phase().name().id() + ": " + use.label(), need, env));
                    }
                }
                have.addAll(step.get().givesOutputs());
            }
        }
        return cluster;
    }

    /** Said when the run talks to the cluster it was given while KUBECONFIG names one too. */
    static Optional<String> kubeconfigIgnored(boolean cluster, Map<String, String> env) {
        if (!cluster || env.getOrDefault("KUBECONFIG", "").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("dr: warning: KUBECONFIG is set but a DR plan does not read it; the DR cluster is the one"
                + " this run brings up, its bringup receipt's or --kubeconfig's");
    }

    private static String missing(String who, String need, Map<String, String> env) {
        if (!KUBECONFIG.equals(need)) {
            return who + " needs the output " + need + " of an earlier step, and neither an earlier phase of this run"
                    + " nor the run it reuses gives it; nothing was run";
        }
        String kubeconfigSet = env.getOrDefault("KUBECONFIG", "").isEmpty() ? ""
                : " KUBECONFIG is set but a DR plan does not read it; pass --kubeconfig \"$KUBECONFIG\" or --receipt-dir"
                        + " <bringup receipt>.";
        return who + " talks to the DR cluster, and nothing says which: no phase of this run brings it up, no bringup"
                + " receipt with a kubeconfig is reused (--receipt-dir <bringup receipt> or --from-receipt), and no"
                + " --kubeconfig was given. A DR plan never reads KUBECONFIG or ~/.kube/config." + kubeconfigSet
                + " Nothing was run.";
    }
}
