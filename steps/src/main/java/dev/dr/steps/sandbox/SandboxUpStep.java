package dev.dr.steps.sandbox;

import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;

/** {@code sandbox.up}: bring up the sandbox's DR cluster (a background process on loopback). */
public final class SandboxUpStep extends DescribedStep {
    public SandboxUpStep() {
        super("sandbox.up");
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure, InterruptedException {
        return SandboxOps.up(ctx);
    }
}
