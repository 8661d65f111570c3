package dev.dr.aws.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.AwsStubs;
import dev.dr.cli.DrRun;
import dev.dr.json.JsonTrees;
import dev.dr.steps.EarlierRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The AWS preflight guards in dr apply, against WireMock answering in STS, EC2 and ECR's wire
 * formats: each guard's bad case refuses the run with exit 3 and a failed receipt of reason
 * kind guard, before any step runs; all good, the plan-diff shows them ok and the drill runs.
 */
class GuardsApplyTest {

    static final String ACCOUNT = "048622080012";
    static final String DIGEST = "sha256:" + "c".repeat(64);
    static final String IMAGE = ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com/jobintel@" + DIGEST;

    AwsStubs aws;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        aws = AwsStubs.start();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    Path plan(String instanceType) throws Exception {
        Path run = EarlierRun.write(dir.resolve("receipts"), "earlier", Map.of("aws.endpoint", aws.endpoint().toString()));
        Path f = dir.resolve("plan.yaml");
        Files.writeString(f, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: guarded}",
                "target: {accountId: \"" + ACCOUNT + "\", region: us-east-1, namespace: jobintel}",
                "inputs: {imageRef: \"" + IMAGE + "\"}",
                "sizing: {instanceType: " + instanceType + "}",
                "run: {fromReceipt: \"" + run + "\", receiptDir: \"" + dir.resolve("receipts") + "\"}",
                "phases:", "  - name: bringup", "    steps: [{uses: testing.ok}]",
                "  - name: validate", "    steps: [{uses: testing.ok}]", ""));
        return f;
    }

    void good(String account) {
        aws.stsCallerIdentity(account);
        aws.ec2InstanceType("t4g.medium", "arm64");
        aws.ecrImage(ACCOUNT, "jobintel", DIGEST, AwsStubs.OCI_INDEX,
                AwsStubs.manifestList(AwsStubs.OCI_INDEX, "linux/amd64", "linux/arm64"));
    }

    DrRun apply(Path plan) {
        return DrRun.in(dir, Map.of("DR_LOCK_DIR", dir.resolve("locks").toString(), "RUN_ID", "guarded-run"),
                "apply", plan.toString(), "--yes");
    }

    JsonNode receipt(String phase) throws Exception {
        return JsonTrees.read(Files.readString(dir.resolve("receipts/guarded-run/phases/" + phase + ".json")));
    }

    @Test
    void allGuardsOkTheDrillRuns() throws Exception {
        good(ACCOUNT);
        DrRun r = apply(plan("t4g.medium"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("account\\s+ok\\s+STS caller identity account is " + ACCOUNT)
                .containsPattern("image-digest\\s+ok").containsPattern("instance-arch\\s+ok");
        assertThat(aws.count("GetCallerIdentity")).as("in the preview and again before the first mutation").isEqualTo(2);
        assertThat(receipt("validate").get("status").asString()).isEqualTo("success");
    }

    @Test
    void anotherAccountRefusesBeforeAnyStepRuns() throws Exception {
        good("111122223333");
        DrRun r = apply(plan("t4g.medium"));
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).containsPattern("account\\s+REFUSED");
        assertThat(r.err()).contains("dr: guard refused: account: caller account 111122223333, plan says " + ACCOUNT);
        JsonNode bringup = receipt("bringup");
        assertThat(bringup.get("status").asString()).isEqualTo("failed");
        assertThat(bringup.get("reason").get("kind").asString()).isEqualTo("guard");
        assertThat(bringup.get("attempts")).as("no step ran").isEmpty();
        assertThat(receipt("validate").get("reason").get("kind").asString()).isEqualTo("upstream-failed");
        assertThat(JsonTrees.read(Files.readString(dir.resolve("receipts/guarded-run/drill.summary.json")))
                .get("verdict").asString()).isEqualTo("failed");
    }

    @Test
    void aRunnerTypeThatIsNotArm64Refuses() throws Exception {
        // the plan language only takes Graviton-looking names; the guard trusts EC2, not the name
        aws.stsCallerIdentity(ACCOUNT);
        aws.ec2InstanceType("t4g.medium", "x86_64");
        aws.ecrImage(ACCOUNT, "jobintel", DIGEST, AwsStubs.OCI_INDEX,
                AwsStubs.manifestList(AwsStubs.OCI_INDEX, "linux/amd64", "linux/arm64"));
        DrRun r = apply(plan("t4g.medium"));
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("dr: guard refused: instance-arch: ");
        assertThat(receipt("bringup").get("attempts")).isEmpty();
    }

    @Test
    void anImageWithoutArm64Refuses() throws Exception {
        aws.stsCallerIdentity(ACCOUNT);
        aws.ec2InstanceType("t4g.medium", "arm64");
        aws.ecrImage(ACCOUNT, "jobintel", DIGEST, AwsStubs.OCI_INDEX, AwsStubs.manifestList(AwsStubs.OCI_INDEX, "linux/amd64"));
        DrRun r = apply(plan("t4g.medium"));
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("dr: guard refused: image-digest: ").contains("linux/arm64");
    }
}
