package dev.dr.steps.k8s;

import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;

/** {@code k8s.require}: gate on an object's existence (restore's cronjob.batch/jobintel-daily). */
public final class K8sRequireStep extends DescribedStep {
    public K8sRequireStep() {
        super("k8s.require");
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure, InterruptedException {
        return Require.await(ctx);
    }
}
