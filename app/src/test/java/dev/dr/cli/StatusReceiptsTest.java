package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.aws.sfn.SfnStubs;
import dev.dr.command.ExitCodes;
import dev.dr.json.JsonTrees;
import dev.dr.sandbox.LocalS3;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * dr status with the workers' receipts: each phase's status from the receipt bucket (an S3 server
 * on loopback) beside the executions the Step Functions stand-in lists, the folder named by
 * --receipt-bucket or by the execution's input; a phase without a receipt is said so.
 */
class StatusReceiptsTest {
    static final String ACCOUNT = "048622080012";
    static final String MACHINE = "arn:aws:states:us-east-1:" + ACCOUNT + ":stateMachine:dr-full-drill";
    static final String BUCKET = "dr-status-receipts";
    static final Instant T = Instant.parse("2026-11-29T10:15:00Z");
    static LocalS3 s3;

    SfnStubs aws;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = LocalS3.start(null);
        s3.createBucket(BUCKET);
        try (S3Objects o = objects()) {
            put(o, "drills/drill-a/bringup.json", "{\"formatVersion\":1,\"kind\":\"phase\",\"phase\":\"bringup\",\"status\":\"success\","
                    + "\"reason\":null,\"startedAt\":\"2026-11-29T10:15:05Z\",\"finishedAt\":\"2026-11-29T10:20:00.500Z\"}");
            put(o, "drills/drill-a/codebuild-bringup.json", "{\"action\":\"bringup\",\"phase\":\"bringup\",\"status\":\"succeeded\","
                    + "\"buildId\":\"dr-worker:1\",\"startedAt\":\"2026-11-29T10:15:01Z\",\"finishedAt\":\"2026-11-29T10:20:01Z\"}");
            // a restore worker that failed before it wrote the phase receipt: only its record is there
            put(o, "drills/drill-a/codebuild-restore.json", "{\"action\":\"restore\",\"phase\":\"restore\",\"status\":\"invalid\","
                    + "\"buildId\":\"dr-worker:2\",\"startedAt\":\"2026-11-29T10:21:00Z\",\"finishedAt\":\"2026-11-29T10:21:02Z\"}");
        }
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    static S3Objects objects() {
        return new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(s3.endpoint()), true), false));
    }

    static void put(S3Objects o, String key, String json) throws Exception {
        o.put(new S3Uri(BUCKET, key), json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    @BeforeEach
    void start() {
        aws = SfnStubs.start();
        aws.executions(MACHINE,
                SfnStubs.item(MACHINE, "drill-a", "FAILED", T, T.plusSeconds(400)),
                SfnStubs.item(MACHINE, "drill-b", "SUCCEEDED", T.plusSeconds(3600), T.plusSeconds(4000)));
        aws.describe(exec("drill-a"), "FAILED", "{\"receiptBucket\":\"" + BUCKET + "\",\"receiptPrefix\":\"drills\"}");
        aws.describe(exec("drill-b"), "SUCCEEDED", "{}");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    static String exec(String name) {
        return MACHINE.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    DrRun status(String... more) {
        List<String> a = new ArrayList<>(List.of("status", "--state-machine-arn", MACHINE, "--expected-account-id", ACCOUNT,
                "--endpoint-url", aws.endpoint().toString(), "--no-sign-request", "--receipt-endpoint-url", s3.endpoint().toString()));
        a.addAll(List.of(more));
        return DrRun.inProject(Map.of(), a.toArray(String[]::new));
    }

    static final String DRILL_A = String.join("\n",
            "Receipts of drill-a in s3://" + BUCKET + "/drills/drill-a/:",
            "  PHASE    RECEIPT     FINISHED (UTC)        WORKER",
            "  bringup  success     2026-11-29T10:20:00Z  succeeded (build dr-worker:1)",
            "  restore  no receipt  2026-11-29T10:21:02Z  invalid (build dr-worker:2)",
            "");

    @Test
    void theFolderAnExecutionsInputNamesIsShownPhaseByPhase() {
        DrRun r = status();

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(String.join("\n",
                "Executions of " + MACHINE + " (most recent first, at most 20): 2, 0 waiting for approval",
                "EXECUTION  STATUS     STARTED (UTC)         APPROVAL",
                "drill-b    SUCCEEDED  2026-11-29T11:15:00Z  -",
                "drill-a    FAILED     2026-11-29T10:15:00Z  -",
                "",
                DRILL_A));
        assertThat(aws.bodies("DescribeExecution")).hasSize(2);
    }

    @Test
    void theBucketGivenIsReadForEveryExecutionAndAnEmptyFolderIsSaidSo() {
        DrRun r = status("--receipt-bucket", BUCKET, "--receipt-prefix", "drills");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).endsWith("\nReceipts of drill-b in s3://" + BUCKET + "/drills/drill-b/: none (no worker has uploaded"
                + " a receipt there)\n\n" + DRILL_A);
        assertThat(aws.bodies("DescribeExecution")).as("no input needed").isEmpty();
    }

    @Test
    void oneExecutionAsJson() {
        DrRun r = status("--execution-arn", exec("drill-a"), "--format", "json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = JsonTrees.read(r.out());
        assertThat(doc.get("executions")).hasSize(1);
        JsonNode receipts = doc.get("executions").get(0).get("receipts");
        assertThat(receipts.get("folder").asString()).isEqualTo("s3://" + BUCKET + "/drills/drill-a/");
        assertThat(receipts.get("phases").get(0).get("phase").asString()).isEqualTo("bringup");
        assertThat(receipts.get("phases").get(0).get("receipt").asString()).isEqualTo("success");
        assertThat(receipts.get("phases").get(1).get("receipt").isNull()).as("restore has no receipt").isTrue();
        assertThat(receipts.get("phases").get(1).get("worker").asString()).isEqualTo("invalid");
        assertThat(aws.bodies("ListExecutions")).isEmpty();
    }

    @Test
    void anExecutionOfAnotherMachineIsAUsageError() {
        DrRun r = status("--execution-arn", "arn:aws:states:us-east-1:" + ACCOUNT + ":execution:other-machine:drill-a");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("is an execution of arn:aws:states:us-east-1:" + ACCOUNT + ":stateMachine:other-machine, not of "
                + MACHINE);
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void aBucketThatCannotBeReadIsReportedAfterTheListing() {
        DrRun r = status("--receipt-bucket", "no-such-receipts");

        assertThat(r.exit()).isEqualTo(ExitCodes.PHASE_FAILED);
        assertThat(r.out()).contains("drill-a    FAILED")
                .contains("Receipts of drill-a in s3://no-such-receipts/dr-receipts/drill-a/: unreadable\n");
        assertThat(r.err()).contains("dr status: the receipts of drill-a are unreadable: LIST s3://no-such-receipts/dr-receipts/drill-a");
    }
}
