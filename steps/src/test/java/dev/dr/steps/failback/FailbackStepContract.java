package dev.dr.steps.failback;

import dev.dr.step.kit.ContractDrill;
import dev.dr.step.kit.ContractPlan;
import dev.dr.steps.contract.LoopbackStepContract;

/** The contract of a failback step: run in the failback phase, with the two confirmations dr apply asks for. */
abstract class FailbackStepContract extends LoopbackStepContract {

    @Override
    protected String phase() {
        return "failback";
    }

    @Override
    protected ContractDrill around(ContractDrill drill) {
        return drill.withApplyArgs("--confirm1", "FAILBACK", "--confirm2", "CONFIRM-" + ContractPlan.EARLIER_RUN);
    }
}
