package dev.dr.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.DrRun;
import dev.dr.json.JsonTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** dr compile's refusals, each with its message and nothing on stdout, and what the machine decides. */
class CompileCommandTest {

    static DrRun compile(String... args) {
        List<String> a = new ArrayList<>(List.of("compile"));
        a.addAll(List.of(args));
        return DrRun.inProject(Map.of(), a.toArray(String[]::new));
    }

    @Test
    void anInvalidPlanExits2WithTheLoadersProblems() {
        DrRun r = compile("--target", "stepfunctions", "app/src/test/resources/cli/broken.yaml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("app/src/test/resources/cli/broken.yaml:8:3: run.stopAftr: unknown key 'stopAftr';"
                + " did you mean 'stopAfter'?")
                .endsWith("dr: app/src/test/resources/cli/broken.yaml is invalid (1 error); nothing was compiled\n");
    }

    @Test
    void anUnknownTargetIsAUsageError() {
        DrRun r = compile("--target", "argo", "plans/full-drill.yaml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("dr: Invalid value for option '--target': unknown target 'argo'; expected stepfunctions"
                + " or stepfunctions-terraform\n").contains("Usage: dr compile");
    }

    @Test
    void theTargetIsRequired() {
        DrRun r = compile("plans/full-drill.yaml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("dr: Missing required option: '--target=TARGET'");
    }

    @Test
    void aRefusedFullDrillExits3AndCompilesNothing() {
        DrRun r = compile("--target", "stepfunctions", "plans/full-drill.yaml", "--allow-full-drill", "false");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("plans/full-drill.yaml:13:13: run.teardown: this is a full drill")
                .endsWith("dr: a guard refused this plan; nothing was compiled\n");
    }

    @Test
    void aGateNeedsItsTopic() {
        DrRun r = compile("--target", "stepfunctions", "plans/full-drill.yaml", "--auto-promote", "true");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("dr compile: the promote gate publishes its approval request to an SNS topic: give"
                + " --approval-topic-arn ARN; nothing was compiled\n");
        DrRun bad = compile("--target", "stepfunctions", "plans/full-drill.yaml", "--auto-promote", "true",
                "--approval-topic-arn", "arn:aws:sqs:us-east-1:048622080012:q");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("dr compile: --approval-topic-arn 'arn:aws:sqs:us-east-1:048622080012:q' is not an SNS"
                + " topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME); nothing was compiled\n");
    }

    @Test
    void workerOptionsMustFitTheWorker() {
        DrRun noSubnet = compile("--target", "stepfunctions", "plans/restore-only.yaml", "--worker", "ecs",
                "--ecs-cluster", "dr", "--ecs-task-definition", "dr-worker");
        assertThat(noSubnet.exit()).isEqualTo(2);
        assertThat(noSubnet.err()).isEqualTo("dr compile: a Fargate task needs at least one subnet (--ecs-subnet)\n");
        DrRun mixed = compile("--target", "stepfunctions", "plans/restore-only.yaml", "--ecs-cluster", "dr");
        assertThat(mixed.exit()).isEqualTo(2);
        assertThat(mixed.err()).isEqualTo("dr compile: --ecs-* options only go with --worker ecs\n");
        DrRun phaseAndStart = compile("--target", "stepfunctions", "plans/restore-only.yaml", "--phase", "restore",
                "--start-at", "restore");
        assertThat(phaseAndStart.exit()).isEqualTo(2);
        assertThat(phaseAndStart.err()).isEqualTo("dr compile: --phase restore is both boundaries: give it without --start-at"
                + " and --stop-after\n");
    }

    @Test
    void phasesThePlanSkipsHaveNoState() {
        JsonNode states = JsonTrees.read(compile("--target", "stepfunctions", "plans/validate-only.yaml").out()).get("States");
        List<String> names = new ArrayList<>();
        states.properties().forEach(e -> names.add(e.getKey()));
        // an execution's boundaries replace validateOnly, as --start-at does; autoPromote and
        // teardown stay false, whatever the boundaries
        assertThat(names).as("no promote, no teardown in validate-only.yaml")
                .containsExactly("Defaults", "Boundaries given?", "Open boundaries", "Boundaries", "Check boundaries",
                        "InvalidBoundaries", "Run Bringup?", "Bringup", "Bringup failed", "Run Restore?", "Restore",
                        "Restore failed", "Run Validate?", "Validate", "Validate failed", "Done", "Failed");
        JsonNode full = JsonTrees.read(compile("--target", "stepfunctions", "plans/full-drill.yaml").out()).get("States");
        assertThat(full.has("Promote")).as("autoPromote is false").isFalse();
        assertThat(full.has(StateMachineCompiler.GATE_STATE)).isFalse();
        assertThat(full.get("Run Teardown?").get("Choices").get(0).get("Or")).as("teardown only when stopAfter reaches it")
                .hasSize(5);
    }

    @Test
    void aFullDrillIsNotAValidPairUnlessThePlanAllowsIt() {
        // teardown.yaml starts at teardown with teardown: true; an input of bringup..teardown would be a full drill
        JsonNode check = JsonTrees.read(compile("--target", "stepfunctions", "plans/teardown.yaml").out()).get("States")
                .get("Check boundaries").get("Choices");
        JsonNode bringupRule = check.get(0);
        assertThat(bringupRule.get("And").get(0).get("StringEquals").asString()).isEqualTo("bringup");
        assertThat(bringupRule.get("And").get(1).toString()).as("bringup..validate is fine, bringup..teardown a full drill")
                .contains("\"validate\"").doesNotContain("\"teardown\"");
        assertThat(JsonTrees.read(compile("--target", "stepfunctions", "plans/teardown.yaml").out()).get("States")
                .get("InvalidBoundaries").get("Cause").asString()).endsWith("a full drill (from bringup to the last phase,"
                + " with teardown) needs allowFullDrill.");
    }

    @Test
    void theRetryComesFromTheBudgetAndTheCap() {
        JsonNode validate = JsonTrees.read(compile("--target", "stepfunctions", "plans/validate-only.yaml").out())
                .get("States").get("Validate");
        assertThat(validate.get("Retry").toString()).isEqualTo("[{\"ErrorEquals\":[\"States.TaskFailed\"],\"IntervalSeconds\":15,"
                + "\"MaxAttempts\":2,\"BackoffRate\":2,\"MaxDelaySeconds\":120}]");
        JsonNode capped = JsonTrees.read(compile("--target", "stepfunctions", "plans/validate-only.yaml", "--max-attempts", "2")
                .out()).get("States").get("Validate");
        assertThat(capped.get("Retry").get(0).get("MaxAttempts").asInt()).isEqualTo(1);
        JsonNode once = JsonTrees.read(compile("--target", "stepfunctions", "plans/validate-only.yaml", "--no-retry").out())
                .get("States").get("Validate");
        assertThat(once.has("Retry")).isFalse();
    }
}
