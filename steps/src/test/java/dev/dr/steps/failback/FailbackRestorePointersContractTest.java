package dev.dr.steps.failback;

import dev.dr.step.Step;
import java.util.Set;

class FailbackRestorePointersContractTest extends PromotedFailbackContract {

    @Override
    protected Step step() {
        return new FailbackRestorePointersStep();
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("publish.canonical", "publish.canonical.before");
    }
}
