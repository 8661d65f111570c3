package dev.dr.aws.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Step Functions ARNs: what is read from them and which the account guard refuses. */
class StatesArnTest {

    static final String MACHINE = "arn:aws:states:us-east-1:048622080012:stateMachine:signalcraft-dr-orchestrator-state-machine";
    static final String EXECUTION = "arn:aws:states:us-east-1:048622080012:execution:signalcraft-dr-orchestrator-state-machine:"
            + "drill-20261129T101500Z";

    @Test
    void aStateMachineArnGivesRegionAccountAndName() {
        StatesArn a = StatesArn.stateMachine(MACHINE);
        assertThat(a.region()).isEqualTo("us-east-1");
        assertThat(a.account()).isEqualTo("048622080012");
        assertThat(a.machine()).isEqualTo("signalcraft-dr-orchestrator-state-machine");
        assertThat(a.execution()).isEmpty();
        assertThat(a.stateMachineArn()).isEqualTo(MACHINE);
        assertThat(a.executionArn("drill-20261129T101500Z")).isEqualTo(EXECUTION);
    }

    @Test
    void anExecutionArnGivesItsMachineAndId() {
        StatesArn a = StatesArn.execution(EXECUTION);
        assertThat(a.execution()).contains("drill-20261129T101500Z");
        assertThat(a.stateMachineArn()).isEqualTo(MACHINE);
        assertThat(StatesArn.execution("arn:aws-us-gov:states:us-gov-west-1:048622080012:execution:m:0b6e6a2c-1f1e-4e5a")
                .region()).isEqualTo("us-gov-west-1");
    }

    @Test
    void malformedArnsSayWhatWasExpected() {
        assertThatThrownBy(() -> StatesArn.stateMachine(EXECUTION)).hasMessageContaining("is not stateMachine")
                .hasMessageEndingWith("expected " + StatesArn.MACHINE_FORM);
        assertThatThrownBy(() -> StatesArn.execution(MACHINE)).hasMessageContaining("expected " + StatesArn.EXECUTION_FORM);
        assertThatThrownBy(() -> StatesArn.stateMachine(MACHINE + ":prod")).hasMessageContaining("version or alias");
        assertThatThrownBy(() -> StatesArn.stateMachine("arn:aws:lambda:us-east-1:048622080012:function:f"))
                .hasMessageContaining("not a Step Functions ARN");
        assertThatThrownBy(() -> StatesArn.stateMachine("arn:aws:states:us-east-1:48622080012:stateMachine:m"))
                .hasMessageContaining("'48622080012' is not an account id");
        assertThatThrownBy(() -> StatesArn.stateMachine("arn:aws:states:US-EAST-1:048622080012:stateMachine:m"))
                .hasMessageContaining("is not a region");
        assertThatThrownBy(() -> StatesArn.execution("arn:aws:states:us-east-1:048622080012:execution:m:"))
                .hasMessageContaining("is not an execution name");
        assertThatThrownBy(() -> StatesArn.execution(" ")).hasMessage("an ARN is required: expected " + StatesArn.EXECUTION_FORM);
        assertThatThrownBy(() -> StatesArn.execution("signalcraft-dr-orchestrator-state-machine"))
                .hasMessageContaining("1 colon-separated parts, expected 8");
    }

    @Test
    void anArnOfAnotherAccountOrRegionIsRefused() {
        StatesArn a = StatesArn.execution(EXECUTION);
        assertThat(a.refusal("048622080012", Optional.empty())).isEmpty();
        assertThat(a.refusal("048622080012", Optional.of("us-east-1"))).isEmpty();
        assertThat(a.refusal("111122223333", Optional.of("us-east-1")))
                .contains(EXECUTION + " is in account 048622080012, not the expected account 111122223333");
        assertThat(a.refusal("048622080012", Optional.of("us-west-2")))
                .contains(EXECUTION + " is in region us-east-1, not us-west-2 (--region)");
    }

    @Test
    void accountIdsAreTwelveDigits() {
        assertThat(StatesArn.isAccountId("048622080012")).isTrue();
        assertThat(StatesArn.isAccountId("48622080012")).isFalse();
        assertThat(StatesArn.isAccountId("04862208001a")).isFalse();
        assertThat(StatesArn.isAccountId(null)).isFalse();
    }
}
