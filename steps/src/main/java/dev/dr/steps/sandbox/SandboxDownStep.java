package dev.dr.steps.sandbox;

import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;

/** {@code sandbox.down}: stop the sandbox's DR cluster and verify zero runners are left. */
public final class SandboxDownStep extends DescribedStep {
    public SandboxDownStep() {
        super("sandbox.down");
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure, InterruptedException {
        return SandboxOps.down(ctx);
    }
}
