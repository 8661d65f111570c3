package dev.dr.steps.aws.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.aws.AwsClients;
import dev.dr.aws.AwsStubs.Ec2Instance;
import dev.dr.aws.AwsStubs;
import dev.dr.cli.DrRun;
import dev.dr.json.JsonTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * ec2.verify-no-runners through dr apply and the live plan-diff, against WireMock answering as
 * EC2 does; the earlier run's receipt points the AWS clients at it (output aws.endpoint).
 */
class Ec2VerifyNoRunnersTest {

    static final Map<String, String> RUNNER = Map.of("dr:role", "runner");

    @TempDir
    Path dir;

    AwsStubs aws;
    Path earlier;

    @BeforeEach
    void setUp() throws Exception {
        aws = AwsStubs.start();
        earlier = dir.resolve("receipts/bringup-run");
        Files.createDirectories(earlier.resolve("phases"));
        Files.writeString(earlier.resolve("phases/bringup.json"), "{\"formatVersion\":1,\"kind\":\"phase\",\"runId\":\"bringup-run\","
                + "\"phase\":\"bringup\",\"status\":\"success\",\"reason\":null,\"planDigest\":\"sha256:" + "0".repeat(64)
                + "\",\"operator\":\"t\",\"startedAt\":\"2026-11-29T10:00:00Z\",\"finishedAt\":\"2026-11-29T10:01:00Z\","
                + "\"durationMs\":60000,\"attempts\":[],\"outputs\":{\"" + AwsClients.ENDPOINT_OUTPUT + "\":\"" + aws.endpoint() + "\"}}");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    Path plan(String with) throws Exception {
        Path f = dir.resolve("teardown.yaml");
        Files.writeString(f, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: teardown-test}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: jobintel, environment: sandbox}",
                "sizing: {instanceType: t4g.medium}",
                "run: {teardown: true, fromReceipt: \"" + earlier + "\", receiptDir: \"" + dir.resolve("receipts") + "\"}",
                "phases:",
                "  - name: teardown",
                "    steps:",
                "      - uses: ec2.verify-no-runners",
                with.isEmpty() ? "" : "        with: " + with, ""));
        return f;
    }

    DrRun dr(String... args) {
        return DrRun.in(dir, Map.of("DR_LOCK_DIR", dir.resolve("locks").toString(), "RUN_ID", "r1"), args);
    }

    @Test
    void noRunnerLeftPassesAndIsReceipted() throws Exception {
        aws.ec2Instances();
        DrRun r = dr("apply", plan("").toString(), "--yes");
        assertThat(r.exit()).as(r.err()).isZero();
        var phase = JsonTrees.read(Files.readString(dir.resolve("receipts/r1/phases/teardown.json")));
        assertThat(phase.get("status").asString()).isEqualTo("success");
        assertThat(phase.get("outputs").get("runners.left").asString()).isEqualTo("0");

        // the live preview of apply asked once, the step once: same query, reads only
        assertThat(aws.operations()).containsOnly("DescribeInstances");
        Map<String, String> form = aws.forms("DescribeInstances").get(aws.count("DescribeInstances") - 1);
        assertThat(form).containsEntry("Filter.1.Name", "tag:dr:role").containsEntry("Filter.1.Value.1", "runner")
                .containsEntry("Filter.2.Name", "instance-state-name")
                .containsEntry("Filter.2.Value.1", "pending").containsEntry("Filter.2.Value.2", "running")
                .containsEntry("Filter.2.Value.3", "stopping").containsEntry("Filter.2.Value.4", "stopped")
                .doesNotContainKey("Filter.2.Value.5").doesNotContainKey("Filter.3.Name");
    }

    @Test
    void twoRunnersLeftFailTheTeardownNamingBoth() throws Exception {
        aws.ec2Instances(new Ec2Instance("i-0b22222222222222b", "stopped", RUNNER),
                new Ec2Instance("i-0a11111111111111a", "running", RUNNER));
        DrRun r = dr("apply", plan("").toString(), "--yes");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("teardown: attempt 1 failed (permanent: 2 DR runners left in us-east-1 (tagged dr:role=runner): "
                + "i-0a11111111111111a (running), i-0b22222222222222b (stopped); teardown must leave none");
        var phase = JsonTrees.read(Files.readString(dir.resolve("receipts/r1/phases/teardown.json")));
        assertThat(phase.get("status").asString()).isEqualTo("failed");
    }

    @Test
    void everyPageIsCounted() throws Exception {
        aws.ec2InstancePages(List.of(
                List.of(new Ec2Instance("i-01", "pending", RUNNER)),
                List.of(),
                List.of(new Ec2Instance("i-03", "stopping", RUNNER), new Ec2Instance("i-02", "running", RUNNER))));
        DrRun r = dr("apply", plan("").toString(), "--yes");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("3 DR runners left in us-east-1 (tagged dr:role=runner): i-01 (pending), i-02 (running), i-03 (stopping)");
        List<Map<String, String>> asked = aws.forms("DescribeInstances");
        assertThat(asked).extracting(f -> f.get("NextToken")).containsSubsequence(null, "page-2", "page-3");
        assertThat(asked).allSatisfy(f -> assertThat(f).containsEntry("Filter.1.Name", "tag:dr:role"));
    }

    @Test
    void theLivePreviewSaysHowManyRunnersThereAreNow() throws Exception {
        aws.ec2Instances(new Ec2Instance("i-0a11111111111111a", "running", RUNNER),
                new Ec2Instance("i-0b22222222222222b", "stopped", RUNNER));
        DrRun r = dr("plan", plan("").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("+ ec2.verify-no-runners  preview: exact, live")
                .as("the default tags").contains("tags.dr:role  = \"runner\"")
                .contains("= unchanged EC2 instances tagged dr:role=runner in us-east-1: 2 DR runners running now: "
                        + "i-0a11111111111111a (running), i-0b22222222222222b (stopped)");
        assertThat(aws.operations()).containsExactly("DescribeInstances");
    }

    @Test
    void theTagsOfThePlanReplaceTheDefault() throws Exception {
        aws.ec2Instances();
        DrRun r = dr("apply", plan("{tags: {\"dr:role\": runner, \"dr:drill\": jobintel}}").toString(), "--yes");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(aws.forms("DescribeInstances")).allSatisfy(f -> assertThat(f)
                .containsEntry("Filter.1.Name", "tag:dr:drill").containsEntry("Filter.1.Value.1", "jobintel")
                .containsEntry("Filter.2.Name", "tag:dr:role").containsEntry("Filter.2.Value.1", "runner")
                .containsEntry("Filter.3.Name", "instance-state-name"));
    }

    @Test
    void emptyTagsAreRefusedByThePlanCheck() throws Exception {
        DrRun r = dr("plan", plan("{tags: {}}").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("with.tags");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void aReadOnlyEc2ClientSendsNoMutatingCall() {
        aws.query("TerminateInstances", 200, "<TerminateInstancesResponse xmlns=\"" + AwsStubs.EC2_XMLNS
                + "\"><requestId>x</requestId><instancesSet/></TerminateInstancesResponse>");
        try (Ec2Client ec2 = AwsClients.open(Ec2Client.builder(), aws.settings(), true)) {
            assertThatThrownBy(() -> ec2.terminateInstances(b -> b.instanceIds("i-0a11111111111111a")))
                    .hasMessageContaining("a preview may only read: refused Ec2 TerminateInstances");
            assertThatThrownBy(() -> ec2.runInstances(b -> b.imageId("ami-0abcdef1234567890").minCount(1).maxCount(1)))
                    .hasMessageContaining("refused Ec2 RunInstances");
        }
        assertThat(aws.requests()).as("nothing reached the server").isEmpty();
    }
}
