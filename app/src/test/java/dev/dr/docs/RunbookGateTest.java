package dev.dr.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.sfn.SfnStubs;
import dev.dr.cli.DrRun;
import dev.dr.json.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Section E's manual gate commands, executed as written: dr_status.sh and dr_approve.sh
 * replaced by dr status and dr approve pointed at a Step Functions stand-in (WireMock speaking
 * the JSON 1.0 protocol), their flags untouched and the placeholders filled. Status must show
 * the execution waiting at the gate; approve must answer that gate with the approver and ticket.
 */
class RunbookGateTest {

    static final String ACCOUNT = "048622080012";
    static final String MACHINE = "arn:aws:states:us-east-1:" + ACCOUNT
            + ":stateMachine:signalcraft-dr-orchestrator-state-machine";
    static final String EXECUTION = MACHINE.replace(":stateMachine:", ":execution:") + ":exec-1";
    static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAXJ1bmJvb2stZ2F0ZS10b2tlbg";

    SfnStubs aws;

    @BeforeEach
    void start() {
        aws = SfnStubs.start();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    /** The runbook's command of {@code program}, as dr arguments pointed at the stand-in. */
    List<String> command(String program) throws Exception {
        RunbookCoverageTest.Command c = RunbookCoverageTest.commands(
                        Files.readString(RunbookCoverageTest.RUNBOOK_COMMANDS, StandardCharsets.UTF_8)).stream()
                .filter(x -> program.equals(x.program())).findFirst().orElseThrow();
        List<String> argv = new ArrayList<>(RunbookFlagsTest.drArguments(c));
        argv.addAll(List.of("--endpoint-url", aws.endpoint().toString(), "--no-sign-request"));
        return argv;
    }

    @Test
    void statusShowsTheExecutionAtTheGateAndApproveAnswersIt() throws Exception {
        Instant t = Instant.parse("2026-11-29T10:15:00Z");
        aws.caller(ACCOUNT);
        aws.executions(MACHINE, SfnStubs.item(MACHINE, "exec-1", "RUNNING", t, null));
        aws.describe(EXECUTION, "RUNNING", "{}");
        SfnStubs.History h = new SfnStubs.History(t);
        h.completedTask("Validate", "{\"FunctionName\":\"validate\"}");
        h.waitingGate("ApprovePromotion", TOKEN);
        aws.history(EXECUTION, h);
        aws.sendTaskSuccess();

        List<String> status = command("dr_status.sh");
        assertThat(status).startsWith("status", "--state-machine-arn", MACHINE, "--region", "us-east-1",
                "--expected-account-id", ACCOUNT);
        DrRun s = DrRun.inProject(Map.of(), status.toArray(String[]::new));
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(s.out()).contains("exec-1", "waiting for approval at ApprovePromotion");

        List<String> approve = command("dr_approve.sh");
        assertThat(approve).contains("--execution-arn", EXECUTION, "--approver", "alice", "--ticket", "CHG-1");
        DrRun a = DrRun.inProject(Map.of(), approve.toArray(String[]::new));
        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(a.out() + a.err() + s.out() + s.err()).as("the task token is never shown").doesNotContain(TOKEN);
        JsonNode sent = JsonTrees.read(aws.bodies("SendTaskSuccess").get(0));
        assertThat(sent.get("taskToken").asString()).isEqualTo(TOKEN);
        JsonNode output = JsonTrees.read(sent.get("output").asString());
        assertThat(output.get("approver").asString()).isEqualTo("alice");
        assertThat(output.get("ticket").asString()).isEqualTo("CHG-1");
    }
}
