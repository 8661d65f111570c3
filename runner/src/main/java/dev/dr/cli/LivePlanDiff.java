package dev.dr.cli;

import dev.dr.aws.AwsClientRegistry;
import dev.dr.catalog.StepCatalog;
import dev.dr.command.Context;
import dev.dr.diff.Guards;
import dev.dr.diff.LivePreview;
import dev.dr.diff.PlanDiffBuilder;
import dev.dr.diff.Planner;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.model.Plan;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The plan-diff with what live state says: the steps' live previews and the AWS guards, all
 * under way at the same time (each mostly waits on a remote API), so the preview takes about
 * as long as its slowest lookup.
 */
final class LivePlanDiff {
    private LivePlanDiff() {}

    /**
     * dr plan: live only when the plan names an earlier run (run.fromReceipt), as the step
     * previews are; a plain dr plan contacts nothing.
     */
    static ObjectNode build(Context ctx, LoadedPlan loaded, StepCatalog steps) {
        Plan plan = loaded.plan().orElseThrow();
        if (plan.run().fromReceipt().isEmpty()) {
            return new PlanDiffBuilder(steps, LivePreview.OFFLINE).build(loaded);
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

    /** dr apply: always live. A plan with unset variables asks AWS nothing (apply refuses it anyway). */
    static ObjectNode buildWithGuards(Context ctx, LoadedPlan loaded, StepCatalog steps, Map<String, String> outputs) {
        // one client per service for the guards and the step previews together, closed when the diff is built
        try (AwsClientRegistry clients = new AwsClientRegistry()) {
            return buildWithGuards(ctx, loaded, steps, outputs, clients);
        }
    }

    /**
     * dr apply --resume: the previews and guards look at live state through {@code outputs} (the
     * run.fromReceipt run's and the kept phases' outputs), from the resumed run's work folder.
     */
    static ObjectNode buildForResume(Context ctx, LoadedPlan loaded, StepCatalog steps, Map<String, String> outputs,
            java.nio.file.Path work) {
        try (AwsClientRegistry clients = new AwsClientRegistry()) {
            Plan plan = loaded.plan().orElseThrow();
            LivePreview previews = StepPreviews.forPlan(ctx, loaded, steps, clients, java.util.Optional.of(outputs),
                    java.util.Optional.of(work));
            Map<String, Guards.Verdict> guards = loaded.unset().isEmpty()
                    ? LiveGuards.masked(LiveGuards.check(plan, Planner.decide(plan), outputs, clients), loaded) : Map.of();
            return Guards.overlay(new PlanDiffBuilder(steps, previews).build(loaded), guards);
        }
    }

    /** The same with {@code clients}, which the caller closes. */
    static ObjectNode buildWithGuards(Context ctx, LoadedPlan loaded, StepCatalog steps, Map<String, String> outputs,
            AwsClientRegistry clients) {
        return buildWithGuards(ctx, loaded, steps, outputs, clients, java.util.Optional.empty());
    }

    /**
     * @param earlier the outputs of the run.fromReceipt run's receipt for the step previews, when
     *                already read; empty: the previews read it themselves
     */
    private static ObjectNode buildWithGuards(Context ctx, LoadedPlan loaded, StepCatalog steps, Map<String, String> outputs,
            AwsClientRegistry clients, java.util.Optional<Map<String, String>> earlier) {
        Plan plan = loaded.plan().orElseThrow();
        LivePreview previews = StepPreviews.forPlan(ctx, loaded, steps, clients, earlier); // the step previews start here
        Map<String, Guards.Verdict> guards = loaded.unset().isEmpty()
                ? LiveGuards.masked(LiveGuards.check(plan, Planner.decide(plan), outputs, clients), loaded) : Map.of();
        return Guards.overlay(new PlanDiffBuilder(steps, previews).build(loaded), guards);
    }
}
