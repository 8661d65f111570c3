package dev.dr.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.aws.sfn.SfnStubs;
import dev.dr.cli.CliProcess;
import dev.dr.cli.DrRun;
import dev.dr.json.JsonTrees;
import dev.dr.receipt.ReceiptUpload;
import dev.dr.sandbox.LocalS3;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The orchestrator path end to end, on loopback: a plan compiled with a receipt bucket is
 * executed in aws-local-stepfunctions ({@link LocalStepFunctions}) whose workers run their
 * compiled scripts for real (dr as its own process); bringup and restore succeed, validate fails.
 * Every worker's receipt and action record must land in the S3 server at the runbook's keys,
 * the same receipts the workers wrote locally, and dr status must show them beside the
 * execution.
 */
class OrchestratedReceiptsTest {
    static final String PLAN = "app/src/test/resources/cli/orchestrated-test.yaml";
    static final String BUCKET = "dr-orchestrated-receipts";
    static final String NAME = "drill-e2e";
    static final String ACCOUNT = "048622080012";
    static final String MACHINE = "arn:aws:states:us-east-1:" + ACCOUNT + ":stateMachine:dr-orchestrated-test";

    @TempDir
    Path tmp;

    /** dr as a worker image runs it: java on dr's class path and the test steps. */
    static String drCommand() throws Exception {
        String classes = CliProcess.classesDir() + File.pathSeparator + CliProcess.projectDir().resolve("app/target/test-classes");
        return "'" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -XX:TieredStopAtLevel=1 -cp '"
                + CliProcess.classpath(Path.of(classes)) + "' dev.dr.cli.Main";
    }

    @Test
    void theWorkersUploadTheirReceiptsAtTheRunbooksKeysAndDrStatusShowsThem() throws Exception {
        LocalStepFunctions.require();
        Path receipts = tmp.resolve("receipts");
        Map<String, String> env = Map.of("RECEIPT_DIR", receipts.toString());
        DrRun compiled = DrRun.inProject(env, "compile", "--target", "stepfunctions", PLAN, "--dr-command", drCommand(),
                "--receipt-bucket", BUCKET, "--receipt-prefix", "drills");
        assertThat(compiled.exit()).as(compiled.err()).isZero();

        try (LocalS3 s3 = LocalS3.start(null); SfnStubs aws = SfnStubs.start()) {
            s3.createBucket(BUCKET);
            ObjectNode workers = JsonNodeFactory.instance.objectNode();
            workers.put("cwd", CliProcess.projectDir().toString());
            workers.putObject("env").put("RECEIPT_DIR", receipts.toString())
                    .put("DR_LOCK_DIR", tmp.resolve("locks").toString())
                    .put("DR_OPERATOR", "orchestrator")
                    .put("CODEBUILD_BUILD_ID", "dr-worker:4711")
                    .put(ReceiptUpload.ENDPOINT_ENV, s3.endpoint().toString());
            LocalStepFunctions.Execution run = LocalStepFunctions.run(List.of(new LocalStepFunctions.Machine(compiled.out(),
                    List.of(JsonNodeFactory.instance.objectNode()), List.of(NAME), workers)), tmp.resolve("sfn")).get(0).get(0);

            assertThat(run.ran()).as("%s", run.logs()).containsExactly("bringup", "restore", "validate");
            assertThat(run.error()).as("the execution fails at validate").isEqualTo("dr.PhaseFailed");
            assertThat(run.logs().get("validate").get("exit").asInt()).isEqualTo(1);

            S3Uri folder = new S3Uri(BUCKET, "drills/" + NAME);
            try (S3Objects o = new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(s3.endpoint()),
                    true), false))) {
                assertThat(o.list(folder).stream().map(software.amazon.awssdk.services.s3.model.S3Object::key)).containsExactly(
                        "drills/drill-e2e/bringup.json", "drills/drill-e2e/codebuild-bringup.json",
                        "drills/drill-e2e/codebuild-restore.json", "drills/drill-e2e/codebuild-validate.json",
                        "drills/drill-e2e/restore.json", "drills/drill-e2e/validate.json");
                for (String phase : List.of("bringup", "restore", "validate")) {
                    JsonNode uploaded = read(o, folder.resolve(phase + ".json"));
                    Path local = receipts.resolve(NAME + "-" + phase).resolve("phases").resolve(phase + ".json");
                    assertThat(uploaded).as(phase + ": the receipt the worker wrote").isEqualTo(
                            JsonTrees.read(Files.readString(local, StandardCharsets.UTF_8)));
                    assertThat(uploaded.get("runId").asString()).isEqualTo(NAME + "-" + phase);
                    assertThat(uploaded.get("status").asString()).isEqualTo(phase.equals("validate") ? "failed" : "success");
                    JsonNode action = read(o, folder.resolve("codebuild-" + phase + ".json"));
                    assertThat(action.get("executionId").asString()).isEqualTo(NAME);
                    assertThat(action.get("phase").asString()).isEqualTo(phase);
                    assertThat(action.get("buildId").asString()).isEqualTo("dr-worker:4711");
                    assertThat(action.get("status").asString()).isEqualTo(phase.equals("validate") ? "failed" : "succeeded");
                    assertThat(action.get("planDigest").asString()).isEqualTo(uploaded.get("planDigest").asString());
                    assertThat(action.get("localReceipts").asString()).isEqualTo(local.getParent().getParent().toString());
                }
            }

            aws.executions(MACHINE, SfnStubs.item(MACHINE, NAME, "FAILED", Instant.parse("2026-12-07T10:00:00Z"),
                    Instant.parse("2026-12-07T10:05:00Z")));
            aws.describe(MACHINE.replace(":stateMachine:", ":execution:") + ":" + NAME, "FAILED", "{\"receiptBucket\":\"" + BUCKET + "\",\"receiptPrefix\":\"drills\"}");
            DrRun status = DrRun.inProject(Map.of(), "status", "--state-machine-arn", MACHINE, "--expected-account-id", ACCOUNT,
                    "--endpoint-url", aws.endpoint().toString(), "--no-sign-request",
                    "--receipt-endpoint-url", s3.endpoint().toString());
            assertThat(status.exit()).as(status.err()).isZero();
            assertThat(status.out()).contains("Receipts of drill-e2e in s3://" + BUCKET + "/drills/drill-e2e/:\n")
                    .containsPattern("\n  bringup +success +\\S+ +succeeded \\(build dr-worker:4711\\)\n"
                            + "  restore +success +\\S+ +succeeded \\(build dr-worker:4711\\)\n"
                            + "  validate +failed \\(permanent\\) +\\S+ +failed \\(build dr-worker:4711\\)\n");
        }
    }

    private static JsonNode read(S3Objects o, S3Uri uri) throws Exception {
        return JsonTrees.read(new String(o.readSmall(uri).orElseThrow(() -> new AssertionError(uri + " is missing")),
                StandardCharsets.UTF_8));
    }
}
