package dev.dr.steps.k8s;

import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import java.util.List;
import java.util.Optional;

/** {@code k8s.apply}: a folder of manifests (e.g. ops/k8s/jobintel) applied to the namespace. */
public final class K8sApplyStep extends DescribedStep {
    public K8sApplyStep() {
        super("k8s.apply");
    }

    @Override
    public Optional<List<Change>> preview(StepContext ctx) throws StepFailure {
        return Manifests.preview(ctx);
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure {
        return Manifests.apply(ctx);
    }
}
