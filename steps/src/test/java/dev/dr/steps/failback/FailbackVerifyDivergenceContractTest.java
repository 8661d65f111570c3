package dev.dr.steps.failback;

import dev.dr.step.Step;
import java.util.Set;

class FailbackVerifyDivergenceContractTest extends PromotedFailbackContract {

    @Override
    protected Step step() {
        return new FailbackVerifyDivergenceStep();
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("failback.objects.compared");
    }
}
