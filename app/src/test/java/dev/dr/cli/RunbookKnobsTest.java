package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.ExitCodes;
import dev.dr.json.JsonTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The runbook's environment knobs through the shipped plans/base/common.yaml, in-process: each
 * one set shows in the plan-diff with its source and reaches the run (the validate retry
 * budget in the engine), a bad one is refused before anything runs.
 */
class RunbookKnobsTest {

    static final String PLAN = "app/src/test/resources/cli/knobs-test.yaml";

    @TempDir
    Path tmp;

    DrRun dr(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("DR_LOCK_DIR", tmp.resolve("locks").toString(),
                "RECEIPT_DIR", tmp.resolve("receipts").toString(), "DR_OPERATOR", "tester",
                "DR_VALIDATE_RETRY_BACKOFF_SECONDS", "0"));
        env.putAll(extraEnv);
        return DrRun.inProject(env, args);
    }

    List<Path> runs() throws Exception {
        Path r = tmp.resolve("receipts");
        if (!Files.isDirectory(r)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(r)) {
            return s.toList();
        }
    }

    @Test
    void drValidateMaxRetriesGivesTheEngineItsBudget() throws Exception {
        // 3 failures before a success: the runbook's default of 2 retries is one short
        DrRun fails = dr(Map.of(), "apply", PLAN, "--yes");
        assertThat(fails.exit()).as(fails.err()).isEqualTo(ExitCodes.PHASE_FAILED);
        assertThat(fails.out()).contains("3 attempts on image-pull-auth, insufficient-memory, backoff 0s x2 up to 2m"
                + " (from DR_VALIDATE_RETRY_BACKOFF_SECONDS=0)");
        DrRun passes = dr(Map.of("DR_VALIDATE_MAX_RETRIES", "3"), "apply", PLAN, "--yes");
        assertThat(passes.exit()).as(passes.err()).isEqualTo(ExitCodes.OK);
        assertThat(passes.out()).contains("4 attempts on image-pull-auth, insufficient-memory, backoff 0s x2 up to 2m"
                + " (from DR_VALIDATE_MAX_RETRIES=3, DR_VALIDATE_RETRY_BACKOFF_SECONDS=0)")
                .containsPattern("retry\\.phases\\.validate\\.maxRetries +from DR_VALIDATE_MAX_RETRIES=3");
        assertThat(passes.err()).contains("validate: attempt 3 failed (image-pull-auth: failure 3)")
                .contains("validate: attempt 4 success");
        Path run = runs().stream().filter(p -> Files.exists(p.resolve("phases/validate.json")))
                .filter(p -> JsonTrees.read(read(p.resolve("drill.summary.json"))).path("verdict").asString()
                        .equals("success")).findFirst().orElseThrow();
        JsonNode validate = JsonTrees.read(Files.readString(run.resolve("phases/validate.json")));
        assertThat(validate.get("attempts")).hasSize(4);
    }

    @Test
    void theJsonPlanDiffNamesEachSetKnobAndItsValue() {
        DrRun r = dr(Map.of("DR_VALIDATE_MAX_RETRIES", "4", "TF_VAR_instance_type", "t4g.large",
                "VALIDATE_LIMIT_MEMORY", "3Gi"), "plan", "plans/validate-only.yaml", "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode d = JsonTrees.read(r.out());
        JsonNode sources = d.get("sources");
        assertThat(sources.path("retry.phases.validate.maxRetries").path("DR_VALIDATE_MAX_RETRIES").asString()).isEqualTo("4");
        assertThat(sources.path("sizing.instanceType").path("TF_VAR_instance_type").asString()).isEqualTo("t4g.large");
        assertThat(sources.path("sizing.validateJob.limits.memory").path("VALIDATE_LIMIT_MEMORY").asString()).isEqualTo("3Gi");
        // PREFIX is unset: its default is no source
        assertThat(sources.has("inputs.prefix")).isFalse();
        JsonNode validate = d.get("phases").valueStream().filter(p -> p.get("name").asString().equals("validate"))
                .findFirst().orElseThrow();
        assertThat(validate.at("/retry/maxAttempts").asInt()).isEqualTo(5);
        assertThat(validate.at("/retry/from/DR_VALIDATE_MAX_RETRIES").asString()).isEqualTo("4");
        assertThat(d.at("/sizing/instanceType").asString()).isEqualTo("t4g.large");
    }

    @Test
    void aKnobThatIsNoNumberIsAnErrorAtItsExpressionAndNothingRuns() throws Exception {
        DrRun r = dr(Map.of("DR_VALIDATE_MAX_RETRIES", "two"), "apply", PLAN, "--yes");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("plans/base/common.yaml:43:19: retry.phases.validate.maxRetries: expected a whole"
                + " number of retries from 0 to 9, was 'two' (from DR_VALIDATE_MAX_RETRIES=two)");
        assertThat(runs()).isEmpty();
    }

    @Test
    void anExpectedAccountOtherThanThePlansRefusesWithNothingRun() throws Exception {
        DrRun r = dr(Map.of("EXPECTED_ACCOUNT_ID", "111122223333"), "apply", PLAN, "--yes");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("plans/base/common.yaml:14:14: target.accountId: EXPECTED_ACCOUNT_ID is 111122223333"
                + " but the plan's account is 048622080012").contains("nothing was run");
        assertThat(r.out()).containsPattern("account +REFUSED +STS caller identity account is 048622080012");
        assertThat(runs()).isEmpty();
        DrRun plan = dr(Map.of("EXPECTED_ACCOUNT_ID", "111122223333"), "plan", "plans/validate-only.yaml");
        assertThat(plan.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(plan.out()).containsPattern("account +REFUSED");
    }

    @Test
    void anAgreeingAccountAndRegionAreShownAsTheirSource() {
        DrRun r = dr(Map.of("EXPECTED_ACCOUNT_ID", "048622080012", "AWS_REGION", "us-east-1",
                "AWS_DEFAULT_REGION", "us-east-1"), "plan", "plans/validate-only.yaml");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("target:   account 048622080012 (from EXPECTED_ACCOUNT_ID), region us-east-1"
                + " (from AWS_DEFAULT_REGION, AWS_REGION), namespace jobintel");
    }

    @Test
    void anotherRegionInTheEnvironmentRefusesInsteadOfMovingTheDrill() {
        DrRun r = dr(Map.of("AWS_REGION", "eu-west-1"), "plan", "plans/validate-only.yaml");
        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("plans/base/common.yaml:15:11: target.region: AWS_REGION is eu-west-1 but the plan's"
                + " region is us-east-1");
        assertThat(r.out()).containsPattern("region +REFUSED").contains("region us-east-1");
    }

    @Test
    void namespaceFlagReplacesTheTargetNamespaceAndIsListedAmongTheOverrides() {
        DrRun r = dr(Map.of("NAMESPACE", "from-env"), "plan", "plans/validate-only.yaml", "--namespace", "jobintel-dr");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("namespace jobintel-dr\n")
                .contains("Overrides from the command line:\n  target.namespace = jobintel-dr  (--namespace)")
                .contains("target.namespace                   = \"jobintel-dr\"")
                .contains("create Job jobintel-dr/jobintel-validate")
                .contains("no other drill holds 048622080012/us-east-1/jobintel-dr")
                // the flag wins over NAMESPACE, which then gave nothing
                .doesNotContain("from-env").doesNotContain("(from NAMESPACE)");
    }

    @Test
    void namespaceFromTheEnvironmentIsShownWithItsSource() {
        DrRun r = dr(Map.of("NAMESPACE", "jobintel-blue"), "plan", "plans/validate-only.yaml");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("namespace jobintel-blue (from NAMESPACE)")
                .containsPattern("target\\.namespace +from NAMESPACE=jobintel-blue");
    }

    @Test
    void aNamespaceThatIsNoKubernetesNameIsRefusedAtTheFlag() throws Exception {
        DrRun r = dr(Map.of(), "apply", PLAN, "--yes", "--namespace", "Job_Intel");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("command line (--namespace): target.namespace:");
        assertThat(runs()).isEmpty();
    }

    @Test
    void aSavedPlanKeepsItsNamespace() throws Exception {
        Path saved = tmp.resolve("plan.json");
        Map<String, String> env = Map.of("DR_VALIDATE_MAX_RETRIES", "3");
        DrRun plan = dr(env, "plan", PLAN, "--namespace", "jobintel-dr", "--out", saved.toString());
        assertThat(plan.exit()).as(plan.err()).isZero();
        DrRun apply = dr(env, "apply", saved.toString(), "--yes");
        assertThat(apply.exit()).as(apply.err()).isEqualTo(ExitCodes.OK);
        assertThat(apply.out()).contains("target.namespace = jobintel-dr  (--namespace)");
    }

    @Test
    void aKnobForAPhaseThatDoesNotRunIsNamedInAWarningAndChangesNoDigest() {
        DrRun r = dr(Map.of("DR_VALIDATE_MAX_RETRIES", "4"), "plan", "plans/teardown.yaml");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("dr: warning: DR_VALIDATE_MAX_RETRIES is set but plans/teardown.yaml runs no validate"
                + " phase; it has no effect");
        // the value's source is still shown, and the warning stays out of the plan-diff
        DrRun without = dr(Map.of(), "plan", "plans/teardown.yaml");
        assertThat(r.out()).doesNotContain("it has no effect");
        assertThat(without.err()).doesNotContain("DR_VALIDATE_MAX_RETRIES");
    }

    @Test
    void terraformVariablesCountOnlyWhereATerraformStepRuns() {
        Map<String, String> backend = Map.of("TF_BACKEND_MODE", "remote", "TF_BACKEND_BUCKET", "tf-state",
                "TF_BACKEND_KEY", "dr/terraform.tfstate", "TF_BACKEND_DYNAMODB_TABLE", "tf-lock", "TF_VAR_vpc_id", "vpc-1");
        DrRun validate = dr(backend, "plan", "plans/validate-only.yaml");
        assertThat(validate.err()).contains("dr: warning: TF_BACKEND_BUCKET is set but plans/validate-only.yaml runs no"
                + " bringup phase and runs no teardown phase; it has no effect")
                .contains("dr: warning: TF_VAR_vpc_id is set but");
        DrRun bringup = dr(backend, "plan", "plans/bringup-only.yaml");
        assertThat(bringup.exit()).as(bringup.err()).isZero();
        assertThat(bringup.err()).doesNotContain("TF_BACKEND").doesNotContain("TF_VAR_vpc_id");
        // the terraform step that runs is shown with the variables it reads
        assertThat(bringup.out()).containsPattern("phases\\[0\\]\\.steps\\[0\\] +from TF_BACKEND_BUCKET=tf-state,"
                + " TF_BACKEND_DYNAMODB_TABLE=tf-lock, TF_BACKEND_KEY=dr/terraform.tfstate, TF_BACKEND_MODE=remote,"
                + " TF_VAR_vpc_id=vpc-1");
    }

    @Test
    void aVariableDrNeverReadsIsNamedUnlessItIsEmpty() {
        DrRun r = dr(Map.of("AWS_PAGER", "less", "IMAGE_TAG", "abc123", "APPLY", "1", "RUN_JOB", "1"),
                "plan", "plans/validate-only.yaml");
        assertThat(r.err()).contains("dr: warning: AWS_PAGER is set but dr does not read it (dr calls AWS through its SDK,"
                + " never the aws CLI, so there is no pager); it has no effect")
                .contains("dr: warning: IMAGE_TAG is set but dr does not read it")
                .contains("dr: warning: APPLY is set but").contains("dr: warning: RUN_JOB is set but");
        // the runbook's own value: export AWS_PAGER=""
        assertThat(dr(Map.of("AWS_PAGER", ""), "plan", "plans/validate-only.yaml").err()).doesNotContain("AWS_PAGER");
        // read by dr itself, or by the plan for a phase that runs
        DrRun read = dr(Map.of("RUN_ID", "r-1", "KUBECONFIG", "/dev/null", "EXPECTED_ACCOUNT_ID", "048622080012",
                "TF_VAR_instance_type", "t4g.large"), "plan", "plans/bringup-only.yaml");
        assertThat(read.err()).doesNotContain("RUN_ID").doesNotContain("KUBECONFIG").doesNotContain("EXPECTED_ACCOUNT_ID")
                .doesNotContain("TF_VAR_instance_type")
                // the helper's DR_VALIDATE_RETRY_BACKOFF_SECONDS=0 is for a validate phase, which bringup-only lacks
                .contains("dr: warning: DR_VALIDATE_RETRY_BACKOFF_SECONDS is set but plans/bringup-only.yaml runs no"
                        + " validate phase");
    }

    @Test
    void aVariableAFlagReplacedIsNamed() {
        DrRun r = dr(Map.of("PREFIX", "jobintel"), "plan", "plans/restore-only.yaml", "--set", "prefix=other");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("dr: warning: PREFIX is set but no value of plans/restore-only.yaml or a plan it"
                + " extends comes from it; it has no effect");
        assertThat(dr(Map.of("PREFIX", "jobintel"), "plan", "plans/restore-only.yaml").err()).doesNotContain("PREFIX");
    }

    @Test
    void everyVariableTheRunbookExportsIsKnown() throws Exception {
        String runbook = Files.readString(CliProcess.projectDir().resolve("app/src/test/resources/docs/runbook-commands.sh"));
        java.util.Set<String> exported = new java.util.TreeSet<>();
        // export NAME=..., or NAME=... before a command (same line or continued): what reaches a process
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^(?:export )?([A-Z][A-Za-z0-9_]*)=[^\\n]*?(?:\\\\$| [a-z./])").matcher(runbook);
        while (m.find()) {
            exported.add(m.group(1));
        }
        java.util.regex.Matcher e = java.util.regex.Pattern.compile("(?m)^export ([A-Z][A-Za-z0-9_]*)=").matcher(runbook);
        while (e.find()) {
            exported.add(e.group(1));
        }
        assertThat(exported).as("variables the runbook hands to a process").hasSizeGreaterThan(20)
                .contains("TF_VAR_vpc_id", "RUN_ID", "APPLY", "NAMESPACE").doesNotContain("BRINGUP_RUN_ID");
        assertThat(dev.dr.diff.RunbookVariables.names()).containsAll(exported);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
