package dev.dr.steps.contract;

import dev.dr.step.Step;
import dev.dr.steps.k8s.K8sNamespaceStep;
import java.util.List;
import java.util.Set;

class K8sNamespaceContractTest extends LoopbackStepContract {

    @Override
    protected Step step() {
        return new K8sNamespaceStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{}");
    }

    @Override
    protected Set<String> outputs() {
        return Set.of();
    }

    @Override
    protected String phase() {
        return "restore";
    }
}
