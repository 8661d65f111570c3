package dev.dr.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.aws.AwsClientRegistry;
import dev.dr.aws.AwsStubs;
import dev.dr.catalog.StepCatalog;
import dev.dr.command.Context;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanLoader;
import dev.dr.receipt.ReceiptReader;
import dev.dr.steps.EarlierRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live plan-diff's guards and step previews share one read-only client per AWS service:
 * six lookups against four services build four clients, and the run closes them.
 */
class SharedAwsClientsTest {

    static final String ACCOUNT = "048622080012";
    static final String DIGEST = "sha256:" + "c".repeat(64);

    @TempDir
    Path dir;

    AwsStubs aws;

    @BeforeEach
    void start() {
        aws = AwsStubs.start();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void guardsAndPreviewsShareOneClientPerService() throws Exception {
        aws.stsCallerIdentity(ACCOUNT);
        aws.ec2InstanceType("t4g.medium", "arm64");
        aws.ec2Instances();
        aws.ecrImage(ACCOUNT, "jobintel", DIGEST, AwsStubs.OCI_INDEX,
                AwsStubs.manifestList(AwsStubs.OCI_INDEX, "linux/amd64", "linux/arm64"));
        aws.server().stubFor(get(urlEqualTo("/drill-artifacts/jobintel/publish/canonical.json"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"canonical\":\"dr\"}")));
        String endpoint = aws.endpoint().toString();
        Path run = EarlierRun.write(dir.resolve("receipts"), "earlier", Map.of("aws.endpoint", endpoint, "s3.endpoint", endpoint));
        Path f = dir.resolve("plan.yaml");
        Files.writeString(f, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: shared}",
                "target: {accountId: \"" + ACCOUNT + "\", region: us-east-1, namespace: jobintel}",
                "inputs: {bucket: drill-artifacts, prefix: jobintel, imageRef: \"" + ACCOUNT
                        + ".dkr.ecr.us-east-1.amazonaws.com/jobintel@" + DIGEST + "\"}",
                "sizing: {instanceType: t4g.medium}",
                "run: {autoPromote: true, allowPromoteBypass: true, fromReceipt: \"" + run + "\", receiptDir: \""
                        + dir.resolve("receipts") + "\"}",
                "phases:",
                "  - name: bringup", "    steps: [{uses: ec2.verify-no-runners}]",
                "  - name: restore", "    steps: [{uses: testing.ok}]",
                "  - name: promote", "    approval: {required: true, ticketRequired: true, timeout: 1h}",
                "    steps: [{uses: pointers.promote}]",
                "  - name: failback", "    steps: [{uses: failback.check-promoted}]", ""));
        StepCatalog steps = StepCatalog.load(getClass().getClassLoader());
        LoadedPlan loaded = new PlanLoader(steps).load(f, "plan.yaml", Map.of(), Overrides.NONE);
        assertThat(loaded.problems()).isEmpty();
        StringWriter err = new StringWriter();
        Context ctx = new Context(new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of(), dir, false);

        AwsClientRegistry clients = new AwsClientRegistry();
        dev.dr.diff.PlanDiff diff;
        try (clients) {
            diff = LivePlanDiff.buildWithGuards(ctx, loaded, steps, ReceiptReader.outputs(run), clients);
            // STS, ECR, EC2 (instance-arch and ec2.verify-no-runners) and S3 (both pointer reads)
            assertThat(clients.clientCount()).isEqualTo(4);
        }
        assertThatThrownBy(() -> clients.s3(aws.settings(), true)).hasMessage("the AWS clients of this run are closed");

        assertThat(aws.count("GetCallerIdentity")).isEqualTo(1);
        assertThat(aws.count("BatchGetImage")).isEqualTo(1);
        assertThat(aws.count("DescribeInstanceTypes")).isEqualTo(1);
        assertThat(aws.count("DescribeInstances")).isEqualTo(1);
        assertThat(aws.requests().stream().filter(r -> r.getUrl().endsWith("canonical.json")).count()).isEqualTo(2);
        String text = new dev.dr.render.TextRenderer(new dev.dr.render.Style(false)).render(diff);
        assertThat(text).containsPattern("\\n  account +ok ").containsPattern("\\n  instance-arch +ok ")
                .containsPattern("\\n  image-digest +ok ").contains("0 DR runners running now");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void anUnreadableEarlierRunTurnsThePreviewsOffWithAWarning() throws Exception {
        Path nothing = Files.createDirectories(dir.resolve("receipts/nothing"));
        Path f = dir.resolve("plan.yaml");
        Files.writeString(f, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: unreadable}",
                "target: {accountId: \"" + ACCOUNT + "\", region: us-east-1, namespace: jobintel, environment: sandbox}",
                "inputs: {bucket: drill-artifacts, prefix: jobintel}", "sizing: {instanceType: t4g.medium}",
                "run: {fromReceipt: \"" + nothing + "\", receiptDir: \"" + dir.resolve("receipts") + "\"}",
                "phases:", "  - name: failback", "    steps: [{uses: failback.check-promoted}]", ""));
        DrRun r = DrRun.in(dir, Map.of(), "plan", f.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEqualTo("dr: warning: live previews are off: no phase receipts at " + nothing + "\n");
        assertThat(r.out()).contains("failback.check-promoted");
        assertThat(aws.requests()).as("nothing was asked").isEmpty();
    }
}
