package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.sfn.SfnStubs;
import dev.dr.command.ExitCodes;
import dev.dr.json.JsonTrees;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** dr status: the orchestrator's executions, newest first, the one at the promotion gate marked. */
class StatusCommandTest {

    static final String ACCOUNT = "048622080012";
    static final String MACHINE = "arn:aws:states:us-east-1:" + ACCOUNT + ":stateMachine:signalcraft-dr-orchestrator-state-machine";
    static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAbN0YXR1cy1nYXRlLXRva2Vu";

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
        return DrRun.inProject(Map.of(), args);
    }

    DrRun status(String machine, String... more) {
        String[] base = {"status", "--state-machine-arn", machine, "--expected-account-id", ACCOUNT,
                "--endpoint-url", aws.endpoint().toString(), "--no-sign-request"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return dr(all);
    }

    static String exec(String name) {
        return MACHINE.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    /** Three executions: one at the gate, one running past it, one finished; the API's order shuffled. */
    void threeExecutions() {
        Instant t = Instant.parse("2026-11-29T10:15:00.250Z");
        aws.executions(MACHINE,
                SfnStubs.item(MACHINE, "drill-20261128", "SUCCEEDED", t.minusSeconds(86_400), t.minusSeconds(80_000)),
                SfnStubs.item(MACHINE, "drill-20261129", "RUNNING", t, null),
                SfnStubs.item(MACHINE, "drill-20261129-retry", "RUNNING", t.plusSeconds(600), null));
        SfnStubs.History waiting = new SfnStubs.History(t);
        waiting.completedTask("Restore", "{\"FunctionName\":\"restore\"}");
        waiting.waitingGate("ApprovePromotion", TOKEN);
        aws.history(exec("drill-20261129"), waiting);
        SfnStubs.History past = new SfnStubs.History(t.plusSeconds(600));
        long submitted = past.waitingGate("ApprovePromotion", "an-older-token");
        past.add(submitted, "TaskSucceeded", "taskSucceededEventDetails", SfnStubs.History.details()
                .put("resourceType", "sns").put("resource", "publish.waitForTaskToken").put("output", "{}"));
        past.exited(past.last(), "ApprovePromotion");
        past.entered(past.last(), "Promote");
        aws.history(exec("drill-20261129-retry"), past);
        // their inputs, as dr start gives them: no receipt bucket named
        for (String name : List.of("drill-20261128", "drill-20261129", "drill-20261129-retry")) {
            aws.describe(exec(name), "RUNNING", "{\"startAt\":\"restore\"}");
        }
    }

    @Test
    void listsTheExecutionsNewestFirstAndMarksTheOneWaitingForApproval() {
        threeExecutions();

        DrRun r = status(MACHINE, "--region", "us-east-1");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(String.join("\n",
                "Executions of " + MACHINE + " (most recent first, at most 20): 3, 1 waiting for approval",
                "EXECUTION             STATUS     STARTED (UTC)         APPROVAL",
                "drill-20261129-retry  RUNNING    2026-11-29T10:25:00Z  -",
                "drill-20261129        RUNNING    2026-11-29T10:15:00Z  waiting for approval at ApprovePromotion since"
                        + " 2026-11-29T10:15:08Z",
                "drill-20261128        SUCCEEDED  2026-11-28T10:15:00Z  -",
                ""));
        assertThat(r.err()).contains("To approve drill-20261129: dr approve --execution-arn " + exec("drill-20261129")
                + " --expected-account-id " + ACCOUNT + " --approver NAME --ticket TICKET");
        assertThat(r.out() + r.err()).doesNotContain(TOKEN);
        assertThat(aws.bodies("ListExecutions")).singleElement().satisfies(b -> {
            JsonNode req = JsonTrees.read(b);
            assertThat(req.get("stateMachineArn").asString()).isEqualTo(MACHINE);
            assertThat(req.get("maxResults").asInt()).isEqualTo(20);
        });
        assertThat(aws.bodies("GetExecutionHistory")).as("only the running ones are read").hasSize(2);
        assertThat(aws.bodies("DescribeExecution")).as("each one's input, for its receipt folder").hasSize(3);
        assertThat(aws.callerChecks()).as("status changes nothing: no caller check").isZero();
        assertThat(status(MACHINE, "--region", "us-east-1").out()).as("deterministic").isEqualTo(r.out());
    }

    @Test
    void theJsonFormatCarriesTheSameWithoutTheToken() {
        threeExecutions();

        DrRun r = status(MACHINE, "--format", "json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = JsonTrees.read(r.out());
        assertThat(doc.get("stateMachineArn").asString()).isEqualTo(MACHINE);
        JsonNode first = doc.get("executions").get(1);
        assertThat(first.get("name").asString()).isEqualTo("drill-20261129");
        assertThat(first.get("executionArn").asString()).isEqualTo(exec("drill-20261129"));
        assertThat(first.get("startDate").asString()).isEqualTo("2026-11-29T10:15:00.250Z");
        assertThat(first.get("waitingForApproval").asBoolean()).isTrue();
        assertThat(first.get("gate").get("state").asString()).isEqualTo("ApprovePromotion");
        assertThat(doc.get("executions").get(0).get("waitingForApproval").asBoolean()).isFalse();
        assertThat(doc.get("executions").get(2).get("stopDate").asString()).isEqualTo("2026-11-28T12:01:40.250Z");
        assertThat(r.out() + r.err()).doesNotContain(TOKEN);
    }

    @Test
    void noExecutionsIsSaidSo() {
        aws.executions(MACHINE);
        DrRun r = status(MACHINE);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("No executions of " + MACHINE + ".\n");
    }

    @Test
    void anArnOfAnotherAccountIsRefusedBeforeAnyCall() {
        DrRun r = status(MACHINE.replace(ACCOUNT, "111122223333"));
        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("refused: " + MACHINE.replace(ACCOUNT, "111122223333")
                + " is in account 111122223333, not the expected account " + ACCOUNT + "; nothing called");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void anArnOfAnotherRegionThanTheGivenOneIsRefusedBeforeAnyCall() {
        DrRun r = status(MACHINE, "--region", "us-west-2");
        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("is in region us-east-1, not us-west-2 (--region)");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void aMalformedArnOrAccountIdIsAUsageError() {
        DrRun r = status("arn:aws:states:us-east-1:" + ACCOUNT + ":signalcraft");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("--state-machine-arn:").contains("expected arn:aws:states:<region>:<account>:stateMachine:<name>");
        DrRun badAccount = dr("status", "--state-machine-arn", MACHINE, "--expected-account-id", "4862208001");
        assertThat(badAccount.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(badAccount.err()).contains("'4862208001' is not an account id (12 digits)");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void aFailingListIsReported() {
        aws.fail("ListExecutions", 400, "StateMachineDoesNotExist", "State Machine Does Not Exist");
        DrRun r = status(MACHINE);
        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("dr status: ListExecutions of " + MACHINE + ": StateMachineDoesNotExist (HTTP 400)");
    }

    @Test
    void helpShowsTheRunbooksExample() {
        DrRun r = dr("status", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Example").contains("dr status").contains("--state-machine-arn")
                .contains("--expected-account-id 048622080012");
    }
}
