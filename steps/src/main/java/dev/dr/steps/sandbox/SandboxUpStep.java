package dev.dr.steps.sandbox;

import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import dev.dr.steps.RunbookReceipts;

/**
 * {@code sandbox.up}: bring up the sandbox's DR cluster (a background process on loopback); its
 * kubeconfig is copied to the runbook's {@code <receipt>/kubeconfig.yaml}.
 */
public final class SandboxUpStep extends DescribedStep {
    public SandboxUpStep() {
        super("sandbox.up");
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure, InterruptedException {
        StepResult r = SandboxOps.up(ctx);
        // where the runbook's later runs load it from: <bringup receipt>/kubeconfig.yaml
        ctx.log("kubeconfig copied to " + RunbookReceipts.kubeconfig(ctx, java.nio.file.Path.of(r.outputs().get("kubeconfig"))));
        return r;
    }
}
