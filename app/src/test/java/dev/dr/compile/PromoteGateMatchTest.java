package dev.dr.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.sfn.SfnStubs;
import dev.dr.aws.sfn.TaskTokenGate;
import dev.dr.cli.DrRun;
import dev.dr.json.JsonTrees;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The compiled promote gate is the one dr status and dr approve --execution-arn look for: its
 * parameters, resolved as Step Functions resolves them before it schedules the task, go into a
 * TaskScheduled event of a Step Functions stand-in; dr status must then show the execution
 * waiting at the gate's state, and dr approve must send SendTaskSuccess with the token.
 */
class PromoteGateMatchTest {
    static final String ACCOUNT = "048622080012";
    static final String MACHINE = "arn:aws:states:us-east-1:" + ACCOUNT + ":stateMachine:dr-full-drill";
    static final String NAME = "drill-20261129";
    static final String EXECUTION = MACHINE.replace(":stateMachine:", ":execution:") + ":" + NAME;
    static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAWNvbXBpbGVkLWdhdGUtdG9rZW4";
    private static final Pattern FORMAT = Pattern.compile("States\\.Format\\('(.*)', \\$\\$\\.Execution\\.Id\\)");

    SfnStubs aws;

    @BeforeEach
    void start() {
        aws = SfnStubs.start();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    static JsonNode compiledGate() {
        DrRun r = DrRun.inProject(Map.of(), "compile", "--target", "stepfunctions", "plans/full-drill.yaml",
                "--auto-promote", "true", "--approval-topic-arn", Compiles.TOPIC);
        assertThat(r.exit()).as(r.err()).isZero();
        return JsonTrees.read(r.out()).get("States").get(StateMachineCompiler.GATE_STATE);
    }

    /** The payload template as Step Functions resolves it for this execution (the paths the gate uses). */
    static JsonNode resolve(JsonNode template) {
        if (!template.isObject()) {
            return template;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : template.properties()) {
            if (!e.getKey().endsWith(".$")) {
                out.set(e.getKey(), resolve(e.getValue()));
                continue;
            }
            String key = e.getKey().substring(0, e.getKey().length() - 2);
            String path = e.getValue().asString();
            Matcher f = FORMAT.matcher(path);
            if (path.equals("$$.Task.Token")) {
                out.put(key, TOKEN);
            } else if (path.equals("$$.Execution.Id")) {
                out.put(key, EXECUTION);
            } else if (f.matches()) {
                out.put(key, f.group(1).replace("{}", EXECUTION));
            } else {
                throw new AssertionError("the gate uses a path this test does not resolve: " + path);
            }
        }
        return out;
    }

    @Test
    void theGateIsACallbackTaskWhoseResolvedParametersCarryTheToken() {
        JsonNode gate = compiledGate();
        assertThat(gate.get("Resource").asString()).endsWith(".waitForTaskToken");
        JsonNode resolved = resolve(gate.get("Parameters"));
        assertThat(resolved.get("Message").get(TaskTokenGate.TOKEN_FIELD).asString()).isEqualTo(TOKEN);
        assertThat(resolved.get("Message").get("approve").asString()).isEqualTo("dr approve --execution-arn " + EXECUTION
                + " --expected-account-id " + ACCOUNT + " --approver NAME --ticket TICKET");
        assertThat(gate.get("TimeoutSeconds").asInt()).as("the plan's approval timeout, 4h").isEqualTo(14_400);
        assertThat(gate.get("ResultPath").asString()).as("the approval reaches the promote worker").isEqualTo("$.approval");
    }

    @Test
    void drStatusSeesTheExecutionWaitingAndDrApproveOpensTheGate() {
        JsonNode gate = compiledGate();
        String parameters = JsonTrees.compact(resolve(gate.get("Parameters")));
        Instant t = Instant.parse("2026-11-29T10:15:00Z");
        SfnStubs.History h = new SfnStubs.History(t);
        h.completedTask("Validate", "{\"ProjectName\":\"dr-worker\"}");
        long entered = h.entered(h.last(), StateMachineCompiler.GATE_STATE);
        long scheduled = h.scheduled(entered, "sns", "publish.waitForTaskToken", parameters);
        long started = h.task(scheduled, "TaskStarted", "sns", "publish.waitForTaskToken");
        h.task(started, "TaskSubmitted", "sns", "publish.waitForTaskToken");
        aws.executions(MACHINE, SfnStubs.item(MACHINE, NAME, "RUNNING", t, null));
        aws.history(EXECUTION, h);
        aws.describe(EXECUTION, "RUNNING");
        aws.caller(ACCOUNT);
        aws.sendTaskSuccess();
        String[] stand = {"--endpoint-url", aws.endpoint().toString(), "--no-sign-request"};

        DrRun status = DrRun.inProject(Map.of(), concat(new String[] {"status", "--state-machine-arn", MACHINE,
                "--expected-account-id", ACCOUNT}, stand));
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains(NAME).contains("waiting for approval at " + StateMachineCompiler.GATE_STATE);

        DrRun approve = DrRun.inProject(Map.of(), concat(new String[] {"approve", "--execution-arn", EXECUTION,
                "--expected-account-id", ACCOUNT, "--approver", "alice", "--ticket", "CHG-1234"}, stand));
        assertThat(approve.exit()).as(approve.err()).isZero();
        assertThat(approve.out()).startsWith("Approved the promotion gate (" + StateMachineCompiler.GATE_STATE + ") of execution "
                + NAME + " by alice (ticket CHG-1234)");
        JsonNode env = JsonTrees.read(DrRun.inProject(Map.of(), "compile", "--target", "stepfunctions", "plans/full-drill.yaml",
                "--auto-promote", "true", "--approval-topic-arn", Compiles.TOPIC).out()).get("States").get("Promote")
                .get("Parameters").get("EnvironmentVariablesOverride");
        assertThat(env.toString()).as("the promote worker reads the fields of the task output dr approve sends")
                .contains("{\"Name\":\"DR_APPROVER\",\"Type\":\"PLAINTEXT\",\"Value.$\":\"$.approval.approver\"}")
                .contains("{\"Name\":\"DR_TICKET\",\"Type\":\"PLAINTEXT\",\"Value.$\":\"$.approval.ticket\"}");
        assertThat(approve.out()).contains("{\"approver\":\"alice\",\"ticket\":\"CHG-1234\",");
        assertThat(aws.bodies("SendTaskSuccess")).singleElement().satisfies(b ->
                assertThat(JsonTrees.read(b).get("taskToken").asString()).isEqualTo(TOKEN));
        assertThat(status.out() + status.err() + approve.out() + approve.err()).doesNotContain(TOKEN);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
