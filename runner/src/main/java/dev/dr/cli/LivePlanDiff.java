package dev.dr.cli;

import dev.dr.aws.AwsClientRegistry;
import dev.dr.catalog.StepCatalog;
import dev.dr.command.Context;
import dev.dr.diff.Guards;
import dev.dr.diff.LivePreview;
import dev.dr.diff.PhaseDecision;
import dev.dr.diff.PlanDiff;
import dev.dr.diff.PlanDiffBuilder;
import dev.dr.diff.Planner;
import dev.dr.engine.StepHandoff;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.model.Plan;
import java.util.List;
import java.util.Map;

/**
 * The plan-diff with what live state says: the steps' live previews and the AWS guards, all
 * under way at the same time (each mostly waits on a remote API), so the preview takes about
 * as long as its slowest lookup.
 */
final class LivePlanDiff {
    private LivePlanDiff() {}

    /**
     * dr plan: live only when the plan names an earlier run (run.fromReceipt), as the step
     * previews are; a plain dr plan asks AWS nothing, and previews live only the steps that need
     * no earlier run (terraform plans its folder).
     */
    static PlanDiff build(Context ctx, LoadedPlan loaded, StepCatalog steps) {
        Plan plan = loaded.plan().orElseThrow();
        if (plan.run().fromReceipt().isEmpty()) {
            List<PhaseDecision> decisions = Planner.decide(plan);
            if (!StepPreviews.anyWithoutEarlierRun(decisions, steps)) {
                // no step to preview live: no AWS client is built, the preview stays as fast as it was
                return new PlanDiffBuilder(steps, LivePreview.OFFLINE).build(loaded, decisions);
            }
            try (AwsClientRegistry clients = new AwsClientRegistry()) {
                LivePreview previews = StepPreviews.forPlan(ctx, loaded, decisions, steps, clients,
                        java.util.Optional.empty());
                return new PlanDiffBuilder(steps, previews).build(loaded, decisions);
            }
        }
        Map<String, String> outputs = null;
        try {
            outputs = dev.dr.receipt.ReceiptReader.outputs(ctx.resolve(plan.run().fromReceipt()));
        } catch (java.io.IOException e) {
            // the step previews read it again to say why they are off; the guards go without
        }
        try (AwsClientRegistry clients = new AwsClientRegistry()) {
            // the guards and the step previews use the receipt read once here
            return buildWithGuards(ctx, loaded, steps, outputs == null ? Map.of() : outputs, clients,
                    java.util.Optional.ofNullable(outputs));
        }
    }

    /**
     * dr failback --dry-run with --kubeconfig-dr: as {@link #build(Context, LoadedPlan, StepCatalog)},
     * the step previews reading that cluster instead of the receipt's, as the run will.
     */
    static PlanDiff build(Context ctx, LoadedPlan loaded, StepCatalog steps, String kubeconfig) {
        Plan plan = loaded.plan().orElseThrow();
        if (plan.run().fromReceipt().isEmpty()) {
            return build(ctx, loaded, steps);
        }
        Map<String, String> outputs;
        try {
            outputs = new java.util.LinkedHashMap<>(dev.dr.receipt.ReceiptReader.outputs(ctx.resolve(plan.run().fromReceipt())));
        } catch (java.io.IOException e) {
            return build(ctx, loaded, steps); // which says why the previews are off
        }
        outputs.put("kubeconfig", ctx.resolve(kubeconfig).toString());
        return buildWithGuardsPreviewing(ctx, loaded, steps, outputs);
    }

    /** dr apply: always live. A plan with unset variables asks AWS nothing (apply refuses it anyway). */
    static PlanDiff buildWithGuards(Context ctx, LoadedPlan loaded, StepCatalog steps, Map<String, String> outputs) {
        return buildWithGuards(ctx, loaded, steps, outputs, java.util.Optional.<StepHandoff>empty());
    }

    /** @param handoff where the previews leave what the same steps' applies are to use (a saved terraform plan) */
    static PlanDiff buildWithGuards(Context ctx, LoadedPlan loaded, StepCatalog steps, Map<String, String> outputs,
            java.util.Optional<StepHandoff> handoff) {
        return build(ctx, loaded, steps, outputs, java.util.Optional.empty(), handoff);
    }

    /**
     * dr apply --kubeconfig: the step previews look through {@code outputs} (the run.fromReceipt
     * run's, the kubeconfig given over its), not the receipt read again, so they see the cluster
     * the run will change. Without run.fromReceipt the previews stay offline, as for any plan.
     */
    static PlanDiff buildWithGuardsPreviewing(Context ctx, LoadedPlan loaded, StepCatalog steps, Map<String, String> outputs) {
        return buildWithGuardsPreviewing(ctx, loaded, steps, outputs, java.util.Optional.empty());
    }

    /** The same, leaving what the applies are to use in {@code handoff}. */
    static PlanDiff buildWithGuardsPreviewing(Context ctx, LoadedPlan loaded, StepCatalog steps, Map<String, String> outputs,
            java.util.Optional<StepHandoff> handoff) {
        return build(ctx, loaded, steps, outputs, java.util.Optional.of(outputs), handoff);
    }

    /** One client per service for the guards and the step previews together, closed when the diff is built. */
    private static PlanDiff build(Context ctx, LoadedPlan loaded, StepCatalog steps, Map<String, String> outputs,
            java.util.Optional<Map<String, String>> earlier, java.util.Optional<StepHandoff> handoff) {
        try (AwsClientRegistry clients = new AwsClientRegistry()) {
            List<PhaseDecision> decisions = Planner.decide(loaded.plan().orElseThrow());
            LivePreview previews = StepPreviews.forPlan(ctx, loaded, decisions, steps, clients, earlier,
                    java.util.Optional.empty(), handoff);
            return withGuards(loaded, decisions, steps, previews, outputs, clients);
        }
    }

    /**
     * dr apply --resume: the previews and guards look at live state through {@code outputs} (the
     * run.fromReceipt run's and the kept phases' outputs), from the resumed run's work folder.
     */
    static PlanDiff buildForResume(Context ctx, LoadedPlan loaded, StepCatalog steps, Map<String, String> outputs,
            java.nio.file.Path work, java.util.Optional<StepHandoff> handoff) {
        try (AwsClientRegistry clients = new AwsClientRegistry()) {
            List<PhaseDecision> decisions = Planner.decide(loaded.plan().orElseThrow());
            LivePreview previews = StepPreviews.forPlan(ctx, loaded, decisions, steps, clients,
                    java.util.Optional.of(outputs), java.util.Optional.of(work), handoff);
            return withGuards(loaded, decisions, steps, previews, outputs, clients);
        }
    }

    /** The same with {@code clients}, which the caller closes. */
    static PlanDiff buildWithGuards(Context ctx, LoadedPlan loaded, StepCatalog steps, Map<String, String> outputs,
            AwsClientRegistry clients) {
        return buildWithGuards(ctx, loaded, steps, outputs, clients, java.util.Optional.empty());
    }

    /**
     * @param earlier the outputs of the run.fromReceipt run's receipt for the step previews, when
     *                already read; empty: the previews read it themselves
     */
    private static PlanDiff buildWithGuards(Context ctx, LoadedPlan loaded, StepCatalog steps, Map<String, String> outputs,
            AwsClientRegistry clients, java.util.Optional<Map<String, String>> earlier) {
        List<PhaseDecision> decisions = Planner.decide(loaded.plan().orElseThrow());
        // the step previews start here, the guards' lookups below while they run
        LivePreview previews = StepPreviews.forPlan(ctx, loaded, decisions, steps, clients, earlier);
        return withGuards(loaded, decisions, steps, previews, outputs, clients);
    }

    /** The plan-diff with the live verdicts of the AWS guards: the step previews, guards and plan-diff share one decision. */
    private static PlanDiff withGuards(LoadedPlan loaded, List<PhaseDecision> decisions, StepCatalog steps,
            LivePreview previews, Map<String, String> outputs, AwsClientRegistry clients) {
        Map<String, Guards.Verdict> guards = loaded.unset().isEmpty()
                ? LiveGuards.masked(LiveGuards.check(loaded.plan().orElseThrow(), decisions, outputs, clients), loaded)
                : Map.of();
        return new PlanDiffBuilder(steps, previews).build(loaded, decisions).withLiveVerdicts(guards);
    }
}
