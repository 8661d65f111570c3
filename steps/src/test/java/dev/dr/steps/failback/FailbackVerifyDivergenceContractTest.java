package dev.dr.steps.failback;

import dev.dr.step.Step;
import java.util.List;
import java.util.Set;

class FailbackVerifyDivergenceContractTest extends PromotedFailbackContract {

    @Override
    protected Step step() {
        return new FailbackVerifyDivergenceStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{}", "{primaryPrefix: publish, drPrefix: dr/publish, provider: openai, profile: cs}",
                "{provider: openai}", "{provider: '', profile: ''}");
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("failback.objects.compared");
    }
}
