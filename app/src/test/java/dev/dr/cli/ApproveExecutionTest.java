package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.sfn.SfnStubs;
import dev.dr.command.ExitCodes;
import dev.dr.json.JsonTrees;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** dr approve --execution-arn: the orchestrator's promotion gate, opened with SendTaskSuccess after the account guards. */
class ApproveExecutionTest {

    static final String ACCOUNT = "048622080012";
    static final String MACHINE = "signalcraft-dr-orchestrator-state-machine";
    static final String EXECUTION = "arn:aws:states:us-east-1:" + ACCOUNT + ":execution:" + MACHINE + ":drill-20261129T101500Z";
    static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAdc2VjcmV0LXRhc2stdG9rZW4tZm9yLXRoZS1nYXRl";
    static final Instant T0 = Instant.parse("2026-11-29T10:15:00Z");

    SfnStubs aws;

    @BeforeEach
    void start() {
        aws = SfnStubs.start();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    DrRun dr(String... args) {
        DrRun r = DrRun.inProject(Map.of(), args);
        assertThat(r.out() + r.err()).as("the task token is never shown").doesNotContain(TOKEN);
        return r;
    }

    DrRun approve(String executionArn, String... more) {
        List<String> a = new ArrayList<>(List.of("approve", "--execution-arn", executionArn, "--expected-account-id", ACCOUNT,
                "--approver", "alice", "--ticket", "CHG-1234", "--endpoint-url", aws.endpoint().toString(), "--no-sign-request"));
        a.addAll(List.of(more));
        return dr(a.toArray(String[]::new));
    }

    /** The execution runs and waits at the gate; the credentials are of the expected account. */
    void atTheGate() {
        aws.caller(ACCOUNT);
        aws.describe(EXECUTION, "RUNNING");
        SfnStubs.History h = new SfnStubs.History(T0);
        h.completedTask("Restore", "{\"FunctionName\":\"restore\"}");
        h.completedTask("Validate", "{\"FunctionName\":\"validate\"}");
        h.waitingGate("ApprovePromotion", TOKEN);
        aws.history(EXECUTION, h);
        aws.sendTaskSuccess();
    }

    @Test
    void sendsTheGatesTokenWithTheApprovalAsItsOutput() {
        atTheGate();

        DrRun r = approve(EXECUTION, "--region", "us-east-1");

        assertThat(r.exit()).as(r.err()).isZero();
        List<String> sent = aws.bodies("SendTaskSuccess");
        assertThat(sent).hasSize(1);
        JsonNode body = JsonTrees.read(sent.get(0));
        assertThat(body.get("taskToken").asString()).isEqualTo(TOKEN);
        JsonNode output = JsonTrees.read(body.get("output").asString());
        assertThat(output.get("approver").asString()).isEqualTo("alice");
        assertThat(output.get("ticket").asString()).isEqualTo("CHG-1234");
        String approvedAt = output.get("approvedAt").asString();
        assertThat(Instant.parse(approvedAt)).isAfter(T0);
        assertThat(approvedAt).endsWith("Z");
        assertThat(r.out()).contains("Approved the promotion gate (ApprovePromotion) of execution drill-20261129T101500Z by alice"
                + " (ticket CHG-1234) at " + approvedAt + ".");
        assertThat(aws.callerChecks()).isEqualTo(1);
        assertThat(aws.requests().get(0).getBodyAsString()).as("the caller is checked first").contains("Action=GetCallerIdentity");
        assertThat(aws.requests().get(aws.requests().size() - 1).getHeader("X-Amz-Target"))
                .isEqualTo("AWSStepFunctions.SendTaskSuccess");
    }

    @Test
    void anExecutionArnOfAnotherAccountIsRefusedWithNoRequestAtAll() {
        atTheGate();

        DrRun r = approve(EXECUTION.replace(ACCOUNT, "111122223333"));

        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("is in account 111122223333, not the expected account " + ACCOUNT)
                .contains("nothing called, nothing approved");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void anExecutionArnOfAnotherRegionThanTheGivenOneIsRefusedWithNoRequestAtAll() {
        atTheGate();

        DrRun r = approve(EXECUTION, "--region", "eu-west-1");

        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("is in region us-east-1, not eu-west-1 (--region)");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void credentialsOfAnotherAccountAreRefusedAndNothingIsSent() {
        atTheGate();
        aws.caller("111122223333");

        DrRun r = approve(EXECUTION);

        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("the AWS credentials in use (arn:aws:sts::111122223333:assumed-role/dr-operator/alice) are of"
                + " account 111122223333, not the expected account " + ACCOUNT + "; nothing approved");
        assertThat(aws.bodies("SendTaskSuccess")).isEmpty();
    }

    @Test
    void anExecutionThatDoesNotWaitForAnApprovalIsRefused() {
        aws.caller(ACCOUNT);
        aws.describe(EXECUTION, "RUNNING");
        SfnStubs.History h = new SfnStubs.History(T0);
        h.completedTask("Restore", "{\"FunctionName\":\"restore\"}");
        h.entered(h.last(), "Validate");
        aws.history(EXECUTION, h);
        aws.sendTaskSuccess();

        DrRun r = approve(EXECUTION);

        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("dr approve: refused: execution " + EXECUTION + " does not wait for an approval")
                .contains("nothing approved");
        assertThat(aws.bodies("SendTaskSuccess")).isEmpty();
    }

    @Test
    void anApprovedGateIsNotApprovedTwice() {
        atTheGate();
        assertThat(approve(EXECUTION).exit()).isZero();
        SfnStubs.History h = new SfnStubs.History(T0);
        long submitted = h.waitingGate("ApprovePromotion", TOKEN);
        long ok = h.task(submitted, "TaskSucceeded", "sns", "publish.waitForTaskToken");
        h.exited(ok, "ApprovePromotion");
        h.entered(h.last(), "Promote");
        aws.history(EXECUTION, h);

        DrRun again = approve(EXECUTION);

        assertThat(again.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(again.err()).contains("does not wait for an approval");
        assertThat(aws.bodies("SendTaskSuccess")).hasSize(1);
    }

    @Test
    void anExecutionThatNoLongerRunsIsRefused() {
        atTheGate();
        aws.describe(EXECUTION, "ABORTED");

        DrRun r = approve(EXECUTION);

        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("execution " + EXECUTION + " is ABORTED, not RUNNING: it does not wait for an approval");
        assertThat(aws.bodies("GetExecutionHistory")).isEmpty();
        assertThat(aws.bodies("SendTaskSuccess")).isEmpty();
    }

    @Test
    void aGateThatTimedOutMeanwhileIsRefusedWithoutShowingTheToken() {
        atTheGate();
        aws.fail("SendTaskSuccess", 400, "TaskTimedOut", "Task Timed Out: '" + TOKEN + "'");

        DrRun r = approve(EXECUTION);

        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("closed before the approval reached it (TaskTimedOut)");
    }

    @Test
    void exactlyOneOfRunAndExecutionArn() {
        DrRun both = dr("approve", "r1", "--execution-arn", EXECUTION, "--expected-account-id", ACCOUNT, "--approver", "a",
                "--ticket", "T");
        assertThat(both.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(both.err()).contains("give exactly one of RUN");
        DrRun neither = dr("approve", "--approver", "a", "--ticket", "T");
        assertThat(neither.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(neither.err()).contains("give exactly one of RUN");
        DrRun localWithAccount = dr("approve", "r1", "--approver", "a", "--expected-account-id", ACCOUNT);
        assertThat(localWithAccount.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(localWithAccount.err()).contains("--expected-account-id only go with --execution-arn");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void usageErrorsOfTheOrchestratorMode() {
        DrRun noTicket = dr("approve", "--execution-arn", EXECUTION, "--expected-account-id", ACCOUNT, "--approver", "a");
        assertThat(noTicket.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(noTicket.err()).contains("needs the change ticket");
        DrRun noAccount = dr("approve", "--execution-arn", EXECUTION, "--approver", "a", "--ticket", "T");
        assertThat(noAccount.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(noAccount.err()).contains("needs --expected-account-id");
        DrRun malformed = dr("approve", "--execution-arn", "arn:aws:states:us-east-1:" + ACCOUNT + ":stateMachine:" + MACHINE,
                "--expected-account-id", ACCOUNT, "--approver", "a", "--ticket", "T");
        assertThat(malformed.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(malformed.err()).contains("resource type 'stateMachine' is not execution")
                .contains("expected arn:aws:states:<region>:<account>:execution:<machine>:<id>");
        DrRun withPhase = dr("approve", "--execution-arn", EXECUTION, "--expected-account-id", ACCOUNT, "--approver", "a",
                "--ticket", "T", "--receipt-dir", "receipts");
        assertThat(withPhase.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(withPhase.err()).contains("--receipt-dir only go with RUN");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void helpShowsBothModes() {
        DrRun r = dr("approve", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("dr approve full-drill-20261129T101500Z-3f2a --approver alice --ticket CHG-1234")
                .contains("dr approve --execution-arn arn:aws:states:us-east-1:048622080012:execution:")
                .contains("[RUN]");
    }
}
