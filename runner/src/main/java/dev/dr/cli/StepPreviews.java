package dev.dr.cli;

import dev.dr.aws.AwsClientRegistry;
import dev.dr.catalog.StepCatalog;
import dev.dr.command.Context;
import dev.dr.diff.LivePreview;
import dev.dr.diff.PhaseDecision;
import dev.dr.engine.PlanStepContext;
import dev.dr.engine.SharedClientsContext;
import dev.dr.engine.StepHandoff;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.model.Plan;
import dev.dr.plan.model.StepUse;
import dev.dr.receipt.ReceiptReader;
import dev.dr.source.NodePath;
import dev.dr.step.Change;
import dev.dr.step.Step;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Live previews for the plan-diff: when the plan names an earlier run (run.fromReceipt) whose
 * receipts say where the DR environment is (a kubeconfig), each implemented step looks at live
 * state through a read-only context. Without one only the steps whose preview needs no earlier run
 * ({@link Step#previewNeedsEarlierRun()}: terraform, which plans its folder) look live, so a
 * plain {@code dr plan} never reaches out to whatever cluster the environment happens to name.
 */
final class StepPreviews {
    private StepPreviews() {}

    /**
     * @param clients the run's AWS clients: the previews share them (and the guards', if they
     *                use the same), and the caller closes them once the plan-diff is built
     * @param decisions the planner's decisions for the plan-diff: the running phases' steps are previewed
     * @param read    the outputs of the run.fromReceipt run when the caller has read them already
     */
    static LivePreview forPlan(Context ctx, LoadedPlan loaded, List<PhaseDecision> decisions, StepCatalog steps,
            AwsClientRegistry clients, Optional<Map<String, String>> read) {
        return forPlan(ctx, loaded, decisions, steps, clients, read, Optional.empty(), Optional.empty());
    }

    /**
     * @param resumed the work folder of the run being resumed: the previews then look at the live
     *                state through {@code read} (the outputs of the run.fromReceipt run and of the
     *                phases the resumed run keeps), as the remaining phases will
     * @param handoff where dr apply's previews leave what the same steps' applies use (a saved
     *                terraform plan); empty for dr plan
     */
    static LivePreview forPlan(Context ctx, LoadedPlan loaded, List<PhaseDecision> decisions, StepCatalog steps,
            AwsClientRegistry clients, Optional<Map<String, String>> read, Optional<Path> resumed,
            Optional<StepHandoff> handoff) {
        Plan plan = loaded.plan().orElseThrow();
        Path work;
        Map<String, String> outputs;
        boolean resuming = resumed.isPresent() && read.isPresent() && !read.get().isEmpty();
        boolean earlierRun = resuming || !plan.run().fromReceipt().isEmpty();
        if (resuming) {
            work = resumed.get();
            outputs = read.get();
        } else if (!earlierRun) {
            // nothing is written there: a preview without an earlier run has no work folder of its own
            work = ctx.resolve(plan.run().receiptDir());
            outputs = Map.of();
        } else {
            Path earlier = ctx.resolve(plan.run().fromReceipt());
            work = earlier.resolve("work");
            try {
                outputs = read.isPresent() ? read.get() : ReceiptReader.outputs(earlier);
            } catch (IOException e) {
                boolean secret = loaded.sensitive().contains(NodePath.of("run", "fromReceipt"));
                ctx.err().println("dr: warning: live previews are off: "
                        + (secret ? "run.fromReceipt names no readable receipt" : e.getMessage()));
                return LivePreview.OFFLINE;
            }
        }
        if (!earlierRun && !anyWithoutEarlierRun(decisions, steps)) {
            return LivePreview.OFFLINE;
        }
        LivePreview one = (phase, use, info, with) -> {
            Optional<Step> step = steps.implementation(use.uses());
            if (step.isEmpty() || (!earlierRun && step.get().previewNeedsEarlierRun())) {
                return Optional.empty();
            }
            try {
                Optional<Path> own = handoff.isPresent() ? Optional.of(handoff.get().forPreview(phase, use)) : Optional.empty();
                StepContext readOnly = new SharedClientsContext(new PlanStepContext(plan, with, outputs, work, work, line -> { }, true,
                        line -> { }, own), clients);
                return step.get().preview(readOnly);
            } catch (StepFailure e) {
                return Optional.of(List.of(new Change("unknown", use.label() + ": live preview failed ("
                        + e.errorClass().id() + ": " + e.getMessage() + ")")));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } catch (IOException e) {
                return Optional.of(List.of(new Change("unknown", use.label() + ": live preview failed (" + e.getMessage() + ")")));
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                // a step that let the SDK's exception through: classified as the steps classify theirs
                StepFailure f = dev.dr.aws.S3Errors.classify("AWS", e);
                return Optional.of(List.of(new Change("unknown", use.label() + ": live preview failed ("
                        + f.errorClass().id() + ": " + f.getMessage() + ")")));
            } catch (RuntimeException e) {
                return Optional.of(List.of(new Change("unknown", use.label() + ": live preview failed (" + e.getMessage() + ")")));
            }
        };
        return concurrently(decisions, steps, one);
    }

    /** True when a running step previews live without an earlier run (terraform plans its folder). */
    static boolean anyWithoutEarlierRun(List<PhaseDecision> decisions, StepCatalog steps) {
        return decisions.stream().filter(PhaseDecision::runs).flatMap(d -> d.phase().steps().stream())
                .anyMatch(use -> steps.implementation(use.uses()).map(s -> !s.previewNeedsEarlierRun()).orElse(false));
    }

    /**
     * Starts every live preview of the plan's running steps at once and hands each out when the
     * plan-diff reaches it: the previews mostly wait on remote APIs, so the preview takes about
     * as long as the slowest one rather than their sum. The plan-diff's order is unchanged.
     */
    static LivePreview concurrently(List<PhaseDecision> decisions, StepCatalog steps, LivePreview one) {
        Map<StepUse, Future<Optional<List<Change>>>> started = new IdentityHashMap<>();
        int count = (int) decisions.stream().filter(PhaseDecision::runs).mapToLong(d -> d.phase().steps().size()).sum();
        if (count == 0) {
            return one;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, count), r -> {
            Thread t = new Thread(r, "dr-preview");
            t.setDaemon(true);
            return t;
        });
        for (PhaseDecision d : decisions) {
            if (!d.runs()) {
                continue;
            }
            for (StepUse use : d.phase().steps()) {
                StepInfo info = steps.find(use.uses());
                if (info != null) {
                    started.put(use, pool.submit(() -> one.of(d.phase(), use, info, info.withDefaults(use.with()))));
                }
            }
        }
        pool.shutdown();
        return (phase, use, info, with) -> {
            Future<Optional<List<Change>>> f = started.get(use);
            if (f == null) {
                return one.of(phase, use, info, with);
            }
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } catch (java.util.concurrent.ExecutionException e) {
                return Optional.of(List.of(new Change("unknown", use.label() + ": live preview failed (" + e.getCause() + ")")));
            }
        };
    }

    private static final String FAILED_PERMANENTLY = ": live preview failed (permanent: ";

    /**
     * The live previews in {@code diff} that failed as their step's run would, each as
     * {@code label: why}, in the order the steps run: a permanent failure (access denied, a precondition that does not hold)
     * is not a passing glitch, so the real run would stop there too.
     */
    static List<String> predictedFailures(dev.dr.diff.PlanDiff diff) {
        List<String> out = new java.util.ArrayList<>();
        for (dev.dr.diff.PlanDiff.Phase phase : diff.phases()) {
            if (phase.execution() == null) {
                continue;
            }
            for (dev.dr.diff.PlanDiff.Step step : phase.execution().steps()) {
                for (dev.dr.diff.PlanDiff.StepChange c : step.changes()) {
                    int at = c.resource().indexOf(FAILED_PERMANENTLY);
                    if ("unknown".equals(c.action()) && at > 0 && c.resource().endsWith(")")) {
                        out.add(c.resource().substring(0, at) + ": " + c.resource().substring(at + FAILED_PERMANENTLY.length(),
                                c.resource().length() - 1));
                    }
                }
            }
        }
        return out;
    }
}
