package dev.dr.steps.k8s;

import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;

/**
 * {@code k8s.run-job}: the validate Job. This class names no fabric8 type, so listing and
 * previewing steps never loads the Kubernetes client; {@link JobRunner} does the work.
 */
public final class K8sRunJobStep extends DescribedStep {
    public K8sRunJobStep() {
        super("k8s.run-job");
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure, InterruptedException {
        return JobRunner.run(ctx);
    }

    @Override
    public java.util.Optional<java.util.List<dev.dr.step.Change>> preview(StepContext ctx) throws StepFailure {
        return JobRunner.preview(ctx);
    }
}
