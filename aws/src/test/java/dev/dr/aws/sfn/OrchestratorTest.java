package dev.dr.aws.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.aws.S3Settings;
import dev.dr.json.JsonTrees;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Listing and approving against Step Functions and STS in their wire formats. */
class OrchestratorTest {

    static final String ACCOUNT = "048622080012";
    static final String MACHINE = "arn:aws:states:us-east-1:" + ACCOUNT + ":stateMachine:signalcraft-dr-orchestrator-state-machine";
    static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAfQ3c2VjcmV0LWdhdGUtdG9rZW4=";
    static final Instant T0 = Instant.parse("2026-11-29T10:15:00Z");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T11:00:00Z"), ZoneOffset.UTC);

    SfnStubs aws;
    Orchestrator orchestrator;

    @BeforeEach
    void start() {
        aws = SfnStubs.start();
        orchestrator = Orchestrator.open(new S3Settings(Optional.of("us-east-1"), Optional.of(aws.endpoint()), true), false);
    }

    @AfterEach
    void stop() {
        orchestrator.close();
        aws.close();
    }

    static String execution(String name) {
        return StatesArn.stateMachine(MACHINE).executionArn(name);
    }

    /** A long-running drill: many finished tasks, then the gate. */
    static SfnStubs.History longHistoryAtTheGate() {
        SfnStubs.History h = new SfnStubs.History(T0);
        for (int i = 0; i < 40; i++) {
            h.completedTask("Step" + i, "{\"FunctionName\":\"step\"}");
        }
        h.waitingGate("ApprovePromotion", TOKEN);
        return h;
    }

    @Test
    void theGateIsFoundOnTheFirstPageOfALongHistoryReadNewestFirst() throws Exception {
        aws.executions(MACHINE, SfnStubs.item(MACHINE, "drill-a", "RUNNING", T0, null));
        aws.history(execution("drill-a"), longHistoryAtTheGate(), 10);

        List<Orchestrator.Execution> list = orchestrator.executions(StatesArn.stateMachine(MACHINE));

        assertThat(list).hasSize(1);
        assertThat(list.get(0).gate()).isPresent();
        assertThat(list.get(0).gate().get().state()).contains("ApprovePromotion");
        List<String> reads = aws.bodies("GetExecutionHistory");
        assertThat(reads).hasSize(1);
        JsonNode req = JsonTrees.read(reads.get(0));
        assertThat(req.get("reverseOrder").asBoolean()).isTrue();
        assertThat(req.get("includeExecutionData").asBoolean()).isTrue();
    }

    @Test
    void aGateBehindAPageBoundaryIsFoundOnTheNextPage() throws Exception {
        SfnStubs.History h = new SfnStubs.History(T0);
        h.waitingGate("ApprovePromotion", TOKEN);
        // a parallel branch kept running: its finished tasks are newer than the gate
        for (int i = 0; i < 6; i++) {
            h.completedTask("Side" + i, "{\"FunctionName\":\"side\"}");
        }
        aws.describe(execution("drill-b"), "RUNNING");
        aws.history(execution("drill-b"), h, 10);
        aws.caller(ACCOUNT);
        aws.sendTaskSuccess();

        Orchestrator.Approved a = orchestrator.approve(StatesArn.execution(execution("drill-b")), ACCOUNT, "alice", "CHG-1", CLOCK);

        assertThat(a.state()).contains("ApprovePromotion");
        assertThat(aws.bodies("GetExecutionHistory")).hasSizeGreaterThan(1);
        JsonNode sent = JsonTrees.read(aws.bodies("SendTaskSuccess").get(0));
        assertThat(sent.get("taskToken").asString()).isEqualTo(TOKEN);
        assertThat(sent.get("output").asString())
                .isEqualTo("{\"approver\":\"alice\",\"ticket\":\"CHG-1\",\"approvedAt\":\"2026-11-29T11:00:00Z\"}");
    }

    @Test
    void aGateThatClosesJustBeforeTheApprovalIsARefusalWithoutTheToken() {
        SfnStubs.History h = new SfnStubs.History(T0);
        h.waitingGate("ApprovePromotion", TOKEN);
        aws.describe(execution("drill-c"), "RUNNING");
        aws.history(execution("drill-c"), h);
        aws.caller(ACCOUNT);
        aws.fail("SendTaskSuccess", 400, "TaskTimedOut", "Task Timed Out: '" + TOKEN + "'");

        assertThatThrownBy(() -> orchestrator.approve(StatesArn.execution(execution("drill-c")), ACCOUNT, "alice", "CHG-1", CLOCK))
                .isInstanceOf(OrchestratorRefused.class)
                .hasMessageContaining("closed before the approval reached it (TaskTimedOut)")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(TOKEN));
    }

    @Test
    void aFailingSendTaskSuccessIsClassifiedAndCarriesNoToken() {
        SfnStubs.History h = new SfnStubs.History(T0);
        h.waitingGate("ApprovePromotion", TOKEN);
        aws.describe(execution("drill-d"), "RUNNING");
        aws.history(execution("drill-d"), h);
        aws.caller(ACCOUNT);
        aws.fail("SendTaskSuccess", 400, "AccessDeniedException", "not authorized to SendTaskSuccess on " + TOKEN);

        assertThatThrownBy(() -> orchestrator.approve(StatesArn.execution(execution("drill-d")), ACCOUNT, "alice", "CHG-1", CLOCK))
                .isInstanceOfSatisfying(StepFailure.class, f -> {
                    assertThat(f.errorClass()).isEqualTo(ErrorClass.PERMANENT);
                    assertThat(f.getMessage()).contains("SendTaskSuccess for the gate of execution " + execution("drill-d"))
                            .contains("AccessDeniedException").doesNotContain(TOKEN);
                    assertThat(f.getCause()).isNull();
                });
    }

    @Test
    void aMissingExecutionIsAPermanentFailure() {
        aws.caller(ACCOUNT);
        aws.fail("DescribeExecution", 400, "ExecutionDoesNotExist", "Execution Does Not Exist");

        assertThatThrownBy(() -> orchestrator.approve(StatesArn.execution(execution("gone")), ACCOUNT, "alice", "CHG-1", CLOCK))
                .isInstanceOfSatisfying(StepFailure.class, f -> assertThat(f.getMessage())
                        .isEqualTo("DescribeExecution of " + execution("gone") + ": ExecutionDoesNotExist (HTTP 400)"));
        assertThat(aws.bodies("SendTaskSuccess")).isEmpty();
    }

    @Test
    void redactReplacesEveryOccurrence() {
        assertThat(Orchestrator.redact("a " + TOKEN + " b " + TOKEN, TOKEN)).isEqualTo("a (task token) b (task token)");
        assertThat(Orchestrator.redact("nothing", TOKEN)).isEqualTo("nothing");
    }
}
