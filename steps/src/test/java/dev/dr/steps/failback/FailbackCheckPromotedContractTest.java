package dev.dr.steps.failback;

import dev.dr.step.Step;
import dev.dr.step.kit.ContractDrill;
import dev.dr.step.kit.ContractPlan;
import dev.dr.steps.aws.S3Objects;
import dev.dr.steps.contract.LoopbackStepContract;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;

class FailbackCheckPromotedContractTest extends LoopbackStepContract {

    @BeforeEach
    void promoted() throws Exception {
        try (S3Objects o = s3Objects()) {
            FailbackPublishState.promoted(o);
        }
    }

    @Override
    protected Step step() {
        return new FailbackCheckPromotedStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{}", "{primaryPrefix: publish, drPrefix: dr/publish}");
    }

    @Override
    protected String phase() {
        return "failback";
    }

    @Override
    protected ContractDrill around(ContractDrill drill) {
        return drill.withApplyArgs("--confirm1", "FAILBACK", "--confirm2", "CONFIRM-" + ContractPlan.EARLIER_RUN);
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("failback.precondition");
    }
}
