package dev.dr.steps.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

/** The pieces around the CLI that need no terraform: masking, the backend, failure classes, receipt outputs. */
class TerraformPartsTest {

    @TempDir
    Path dir;

    @Test
    void theMaskerHidesSecretsLongestFirstAndMultiLineSecretsLineByLine() {
        Masker m = new Masker(Set.of("hunter2-token", "hunter2-token-long", "apiVersion: v1\nkind: Config\nuser: {token: abcd1234}", "ab"));
        assertThat(m.mask("a=hunter2-token-long b=hunter2-token")).isEqualTo("a=(sensitive value) b=(sensitive value)");
        assertThat(m.mask("    user: {token: abcd1234}")).isEqualTo("    (sensitive value)");
        assertThat(m.mask("ab stays: shorter than " + Masker.MIN_LENGTH)).isEqualTo("ab stays: shorter than 4");
        assertThat(m.toString()).isEqualTo("Masker[6 values]").doesNotContain("hunter2");
        assertThat(Masker.none().with(List.of("s3cr3t-value")).mask("x s3cr3t-value")).isEqualTo("x (sensitive value)");
    }

    @Test
    void theRemoteBackendComesFromTheRunbooksVariablesWithThePlansRegion() throws StepFailure {
        Map<String, String> env = Map.of("TF_BACKEND_MODE", "remote", "TF_BACKEND_BUCKET", "tf-state",
                "TF_BACKEND_KEY", "signalcraft/dr/terraform.tfstate", "TF_BACKEND_DYNAMODB_TABLE", "tf-lock");
        RemoteBackend b = RemoteBackend.fromEnv(env, Optional.of("us-east-1")).orElseThrow();
        assertThat(b.initArgs()).containsExactly("-backend-config=bucket=tf-state",
                "-backend-config=key=signalcraft/dr/terraform.tfstate", "-backend-config=dynamodb_table=tf-lock",
                "-backend-config=region=us-east-1");
        assertThat(b.describe()).isEqualTo("s3://tf-state/signalcraft/dr/terraform.tfstate (lock table tf-lock, region us-east-1)");
        assertThat(RemoteBackend.fromEnv(Map.of(), Optional.of("us-east-1"))).as("the folder's own backend").isEmpty();
        assertThat(RemoteBackend.fromEnv(Map.of("TF_BACKEND_MODE", "local", "TF_BACKEND_BUCKET", "tf-state"),
                Optional.empty())).isEmpty();
    }

    @Test
    void halfARemoteBackendIsRefused() {
        assertThatThrownBy(() -> RemoteBackend.fromEnv(Map.of("TF_BACKEND_BUCKET", "tf-state"), Optional.empty()))
                .isInstanceOf(StepFailure.class)
                .hasMessage("the remote terraform backend needs TF_BACKEND_KEY, TF_BACKEND_DYNAMODB_TABLE; set all of "
                        + "TF_BACKEND_BUCKET, TF_BACKEND_KEY and TF_BACKEND_DYNAMODB_TABLE, or none to use the folder's own backend");
        assertThatThrownBy(() -> RemoteBackend.fromEnv(Map.of("TF_BACKEND_MODE", "remote"), Optional.empty()))
                .hasMessageStartingWith("the remote terraform backend needs TF_BACKEND_BUCKET, TF_BACKEND_KEY, "
                        + "TF_BACKEND_DYNAMODB_TABLE (TF_BACKEND_MODE=remote)");
        assertThatThrownBy(() -> RemoteBackend.fromEnv(Map.of("TF_BACKEND_MODE", "s3"), Optional.empty()))
                .hasMessage("TF_BACKEND_MODE is 's3': expected remote or local");
    }

    @Test
    void aHeldLockIsAConflictAndThrottlingOrALockTableErrorIsThrottled() {
        String heldLocally = String.join("\n", "", "Error: Error acquiring the state lock", "",
                "Error message: resource temporarily unavailable", "Lock Info:", "  ID:        5403dfa5",
                "  Path:      terraform.tfstate", "  Operation: OperationTypeApply", "  Who:       ops@runner", "");
        assertThat(TerraformFailures.classify(heldLocally)).isEqualTo(ErrorClass.CONFLICT);
        assertThat(TerraformFailures.classify("Error: Error acquiring the state lock\n\nError message: operation error "
                + "DynamoDB: PutItem, ConditionalCheckFailedException: The conditional request failed"))
                .isEqualTo(ErrorClass.CONFLICT);
        assertThat(TerraformFailures.classify("Error: Error acquiring the state lock\n\nError message: operation error "
                + "DynamoDB: PutItem, https response error StatusCode: 400, ProvisionedThroughputExceededException"))
                .isEqualTo(ErrorClass.THROTTLED);
        assertThat(TerraformFailures.classify("Error: Error releasing the state lock\n\nError message: failed to "
                + "retrieve lock info: RequestError: send request failed")).isEqualTo(ErrorClass.THROTTLED);
        assertThat(TerraformFailures.classify("Error: creating EC2 Instance: operation error EC2: RunInstances, "
                + "api error RequestLimitExceeded: Request limit exceeded.")).isEqualTo(ErrorClass.THROTTLED);
        assertThat(TerraformFailures.classify("Error: Saved plan is stale\n\nThe given plan file can no longer be applied"))
                .isEqualTo(ErrorClass.CONFLICT);
        assertThat(TerraformFailures.classify("Error: creating EC2 Instance: InvalidSubnetID.NotFound"))
                .isEqualTo(ErrorClass.PERMANENT);
    }

    @Test
    void aFailureQuotesStderrFromTheFirstErrorMasked() {
        List<String> stderr = new ArrayList<>(List.of("There are some problems with the CLI configuration:", "╷",
                "│ Warning: Unable to open CLI configuration file", "╵", "", "Error: Invalid value for variable", "",
                "  on main.tf line 9:", "  value (sensitive value) is not allowed"));
        StepFailure f = TerraformFailures.failure("plan", 1, stderr);
        assertThat(f.errorClass()).isEqualTo(ErrorClass.PERMANENT);
        assertThat(f.getMessage()).isEqualTo("terraform plan failed (exit 1): Error: Invalid value for variable | "
                + "on main.tf line 9: | value (sensitive value) is not allowed");
        assertThat(TerraformFailures.failure("init", 1, List.of()).getMessage())
                .isEqualTo("terraform init failed (exit 1): no error output");
    }

    @Test
    void theLoggedCommandMasksSecretNamedVarsWhateverTheirLength() {
        Masker m = Masker.none().with(List.of("s3cr3t-value"));
        assertThat(Terraform.shown(List.of("plan", "-var", "instance_type=t4g.medium", "-var", "api_token=abc",
                "-var", "note=s3cr3t-value"), m))
                .isEqualTo("plan -var instance_type=t4g.medium -var api_token=(sensitive value) -var note=(sensitive value)");
    }

    @Test
    void theWorkFolderIsNamedAfterTheTerraformFolder() {
        assertThat(TerraformWork.slug("ops/dr/terraform")).isEqualTo("ops-dr-terraform");
        assertThat(TerraformWork.slug("../infra/dr terraform/")).isEqualTo("infra-dr-terraform");
        assertThat(TerraformWork.slug("/")).isEqualTo("root");
    }

    @Test
    void aSensitiveKubeconfigGoesToAnOwnerOnlyFileAndOtherSecretsStayOutOfTheReceipt() throws Exception {
        JsonNodeFactory n = JsonNodeFactory.instance;
        List<String> log = new ArrayList<>();
        Map<String, String> out = ReceiptOutputs.of(List.of(
                new OutputValue("admin_password", false, n.textNode("pw-1234")),
                new OutputValue("db_endpoint", true, n.textNode("db.internal:5432")),
                new OutputValue("kubeconfig", true, n.textNode("apiVersion: v1\nkind: Config\n")),
                new OutputValue("public_ip", false, n.textNode("203.0.113.10")),
                new OutputValue("subnets", false, n.arrayNode().add("subnet-1").add("subnet-2"))),
                dir.resolve("work"), dir.resolve("tf"), log::add);
        Path kubeconfig = dir.resolve("work/kubeconfig.yaml").toAbsolutePath();
        assertThat(out).containsExactly(Map.entry("kubeconfig", kubeconfig.toString()),
                Map.entry("public_ip", "203.0.113.10"), Map.entry("subnets", "[\"subnet-1\",\"subnet-2\"]"));
        assertThat(kubeconfig).hasContent("apiVersion: v1\nkind: Config");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig))).isEqualTo("rw-------");
        assertThat(log).contains("output admin_password: (sensitive value), kept out of the receipt",
                "output db_endpoint: (sensitive value), kept out of the receipt",
                "output kubeconfig: (sensitive value) written to " + kubeconfig);
        assertThat(String.join("\n", log)).doesNotContain("pw-1234").doesNotContain("db.internal");
    }

    @Test
    void aKubeconfigOutputThatIsAPathIsTakenRelativeToTheTerraformFolder() throws Exception {
        Map<String, String> out = ReceiptOutputs.of(List.of(new OutputValue("kubeconfig", false,
                JsonNodeFactory.instance.textNode("out/k3s.public.yaml"))), dir.resolve("work"), dir.resolve("tf"), l -> { });
        assertThat(out).containsExactly(Map.entry("kubeconfig", dir.resolve("tf/out/k3s.public.yaml").toString()));
    }
}
