package dev.dr.steps.k8s;

import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;

/** {@code k8s.namespace}: ensure the target namespace exists. */
public final class K8sNamespaceStep extends DescribedStep {
    public K8sNamespaceStep() {
        super("k8s.namespace");
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure {
        return NamespaceOps.ensure(ctx);
    }

    @Override
    public java.util.Optional<java.util.List<dev.dr.step.Change>> preview(StepContext ctx) throws StepFailure {
        return NamespaceOps.preview(ctx);
    }
}
