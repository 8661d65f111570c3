package dev.dr.steps.contract;

import dev.dr.step.Step;
import dev.dr.step.kit.ContractDrill;
import dev.dr.steps.pointers.PointersPromoteStep;
import java.util.List;
import java.util.Set;

class PointersPromoteContractTest extends LoopbackStepContract {

    @Override
    protected Step step() {
        return new PointersPromoteStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{}", "{primaryPrefix: publish, drPrefix: dr/publish}");
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("publish.canonical", "publish.canonical.before", "publish.pointer");
    }

    @Override
    protected String phase() {
        return "promote";
    }

    @Override
    protected ContractDrill around(ContractDrill drill) {
        return drill.withRun("autoPromote: true", "allowPromoteBypass: true")
                .withPhase("timeout: 30s", "approval: {required: true, ticketRequired: true, timeout: 1h}");
    }
}
