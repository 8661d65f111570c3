package dev.dr.steps.failback;

import dev.dr.step.Step;
import java.util.Set;

class FailbackCheckPromotedContractTest extends PromotedFailbackContract {

    @Override
    protected Step step() {
        return new FailbackCheckPromotedStep();
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("failback.precondition");
    }
}
