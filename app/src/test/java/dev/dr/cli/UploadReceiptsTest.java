package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.command.ExitCodes;
import dev.dr.json.JsonTrees;
import dev.dr.receipt.ReceiptUpload;
import dev.dr.sandbox.LocalS3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * dr apply --upload-receipts, as an orchestrator worker runs it: the phase receipts and the
 * action record land at the runbook's keys in an S3 server on loopback, whether the phase
 * succeeded or failed; a failed upload is said and changes no exit code.
 */
class UploadReceiptsTest {
    static final String PLAN = "app/src/test/resources/cli/apply-test.yaml";
    static final String FOLDER = "s3://dr-receipts-test/dr-receipts/exec-42";
    static LocalS3 s3;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = LocalS3.start(null);
        s3.createBucket("dr-receipts-test");
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    DrRun apply(Map<String, String> extra, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("DR_LOCK_DIR", tmp.resolve("locks").toString(),
                "RECEIPT_DIR", tmp.resolve("receipts").toString(), "DR_OPERATOR", "tester",
                ReceiptUpload.ENDPOINT_ENV, s3.endpoint().toString(), "CODEBUILD_BUILD_ID", "dr-worker:build-7"));
        env.putAll(extra);
        String[] argv = Stream.concat(Stream.of("apply", PLAN, "--yes"), Stream.of(args)).toArray(String[]::new);
        return DrRun.in(CliProcess.projectDir(), env, false, "", argv);
    }

    static Optional<JsonNode> object(String key) throws Exception {
        try (S3Objects o = new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(s3.endpoint()), true),
                false))) {
            return o.readSmall(S3Uri.parse(FOLDER).resolve(key)).map(b -> JsonTrees.read(new String(b, StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aFailedPhaseUploadsItsFailedReceiptAndTheActionRecordAndKeepsItsExitCode() throws Exception {
        DrRun r = apply(Map.of("RUN_ID", "exec-42-validate", "FAIL_WITH", "permanent"), "--phase", "validate",
                "--upload-receipts", FOLDER);

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.PHASE_FAILED);
        assertThat(r.err()).contains("dr: receipts uploaded to " + FOLDER + "/: validate.json, codebuild-validate.json\n");
        Path local = tmp.resolve("receipts/exec-42-validate");
        JsonNode receipt = object("validate.json").orElseThrow();
        assertThat(receipt).as("the phase receipt as written locally")
                .isEqualTo(JsonTrees.read(Files.readString(local.resolve("phases/validate.json"))));
        assertThat(receipt.get("status").asString()).isEqualTo("failed");
        JsonNode action = object("codebuild-validate.json").orElseThrow();
        assertThat(action.get("action").asString()).isEqualTo("validate");
        assertThat(action.get("phase").asString()).isEqualTo("validate");
        assertThat(action.get("executionId").asString()).isEqualTo("exec-42");
        assertThat(action.get("buildId").asString()).isEqualTo("dr-worker:build-7");
        assertThat(action.get("worker").asString()).isEqualTo("codebuild");
        assertThat(action.get("status").asString()).isEqualTo("failed");
        assertThat(action.get("exitCode").asInt()).isEqualTo(ExitCodes.PHASE_FAILED);
        assertThat(action.get("runId").asString()).isEqualTo("exec-42-validate");
        assertThat(action.get("planDigest").asString()).isEqualTo(receipt.get("planDigest").asString()).startsWith("sha256:");
        assertThat(action.get("localReceipts").asString()).isEqualTo(local.toAbsolutePath().normalize().toString());
        assertThat(action.get("phaseReceipts")).hasSize(1);
        assertThat(java.time.Instant.parse(action.get("finishedAt").asString()))
                .isAfterOrEqualTo(java.time.Instant.parse(action.get("startedAt").asString()));
    }

    @Test
    void eachWorkerUploadsOnlyThePhaseItRan() throws Exception {
        String folder = "s3://dr-receipts-test/dr-receipts/exec-45";
        DrRun bringup = apply(Map.of("RUN_ID", "exec-45-bringup"), "--phase", "bringup", "--upload-receipts", folder);
        assertThat(bringup.exit()).as(bringup.err()).isZero();
        // the validate worker's own run says bringup was skipped (before its start): that must not replace the real one
        DrRun validate = apply(Map.of("RUN_ID", "exec-45-validate"), "--phase", "validate", "--upload-receipts", folder);
        assertThat(validate.exit()).as(validate.err()).isZero();
        assertThat(JsonTrees.read(Files.readString(tmp.resolve("receipts/exec-45-validate/phases/bringup.json")))
                .get("status").asString()).isEqualTo("skipped");

        try (S3Objects o = new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(s3.endpoint()), true),
                false))) {
            assertThat(o.list(S3Uri.parse(folder)).stream().map(software.amazon.awssdk.services.s3.model.S3Object::key))
                    .containsExactly("dr-receipts/exec-45/bringup.json", "dr-receipts/exec-45/codebuild-bringup.json",
                            "dr-receipts/exec-45/codebuild-validate.json", "dr-receipts/exec-45/validate.json");
            JsonNode b = JsonTrees.read(new String(o.readSmall(S3Uri.parse(folder + "/bringup.json")).orElseThrow(),
                    StandardCharsets.UTF_8));
            assertThat(b.get("status").asString()).isEqualTo("success");
            assertThat(b.get("runId").asString()).isEqualTo("exec-45-bringup");
            JsonNode action = JsonTrees.read(new String(o.readSmall(S3Uri.parse(folder + "/codebuild-bringup.json"))
                    .orElseThrow(), StandardCharsets.UTF_8));
            assertThat(action.get("status").asString()).isEqualTo("succeeded");
        }
    }

    @Test
    void anUnreachableBucketIsReportedAndTheExitCodeIsThePhases() throws Exception {
        // port 9 (discard) on loopback: nothing listens, every request is refused
        DrRun ok = apply(Map.of("RUN_ID", "exec-43-bringup", ReceiptUpload.ENDPOINT_ENV, "http://127.0.0.1:9"),
                "--phase", "bringup", "--upload-receipts", "s3://dr-receipts-test/dr-receipts/exec-43");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.err()).contains("dr: receipts NOT uploaded: PUT s3://dr-receipts-test/dr-receipts/exec-43/bringup.json")
                .contains("the run's own result and exit code 0 stand; its receipts are in ")
                .doesNotContain("receipts uploaded to");
        assertThat(tmp.resolve("receipts/exec-43-bringup/phases/bringup.json")).exists();

        DrRun failed = apply(Map.of("RUN_ID", "exec-43-validate", "FAIL_WITH", "permanent",
                ReceiptUpload.ENDPOINT_ENV, "http://127.0.0.1:9"), "--phase", "validate", "--upload-receipts",
                "s3://dr-receipts-test/dr-receipts/exec-43");
        assertThat(failed.exit()).as(failed.err()).isEqualTo(ExitCodes.PHASE_FAILED);
        assertThat(failed.err()).contains("receipts NOT uploaded").contains("exit code 1 stand");
    }

    @Test
    void aRunTheLockRefusedLeavesARefusedRecord() throws Exception {
        new dev.dr.lock.FileLockStore(tmp.resolve("locks"), java.time.Clock.systemUTC()).acquire(
                new dev.dr.lock.LockKey("048622080012", "us-east-1", "jobintel"),
                new dev.dr.lock.Holder("alice", "run-of-alice", java.time.Instant.now()));
        DrRun r = apply(Map.of("RUN_ID", "exec-47-validate"), "--phase", "validate", "--upload-receipts",
                "s3://dr-receipts-test/dr-receipts/exec-47");

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("dr: no receipt of validate to upload: the run wrote none")
                .contains("dr: receipts uploaded to s3://dr-receipts-test/dr-receipts/exec-47/: codebuild-validate.json")
                .doesNotContain("NOT uploaded");
        try (S3Objects o = new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(s3.endpoint()), true),
                false))) {
            JsonNode action = JsonTrees.read(new String(o.readSmall(S3Uri.parse("s3://dr-receipts-test/dr-receipts/exec-47"
                    + "/codebuild-validate.json")).orElseThrow(), StandardCharsets.UTF_8));
            assertThat(action.get("status").asString()).isEqualTo("refused");
            assertThat(action.get("exitCode").asInt()).isEqualTo(ExitCodes.GUARD_REFUSED);
            assertThat(action.get("phaseReceipts")).isEmpty();
        }
    }

    @Test
    void noSecretReachesTheBucket() throws Exception {
        String secret = "ns-s3cret-4242";
        Map<String, String> env = new HashMap<>(Map.of("DR_LOCK_DIR", tmp.resolve("locks").toString(),
                "RECEIPT_DIR", tmp.resolve("receipts").toString(), "NAMESPACE_SECRET", secret, "RUN_ID", "exec-46-bringup",
                ReceiptUpload.ENDPOINT_ENV, s3.endpoint().toString()));
        DrRun r = DrRun.in(CliProcess.projectDir(), env, false, "", "apply", "app/src/test/resources/cli/upload-secret.yaml",
                "--yes", "--phase", "bringup", "--upload-receipts", "s3://dr-receipts-test/dr-receipts/exec-46");
        assertThat(r.exit()).as(r.err()).isZero();
        String folder = "s3://dr-receipts-test/dr-receipts/exec-46";
        try (S3Objects o = new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(s3.endpoint()), true),
                false))) {
            List<String> keys = o.list(S3Uri.parse(folder)).stream().map(software.amazon.awssdk.services.s3.model.S3Object::key)
                    .toList();
            assertThat(keys).containsExactly("dr-receipts/exec-46/bringup.json", "dr-receipts/exec-46/codebuild-bringup.json");
            for (String key : keys) {
                String body = new String(o.readSmall(new S3Uri("dr-receipts-test", key)).orElseThrow(), StandardCharsets.UTF_8);
                assertThat(body).as(key).doesNotContain(secret);
            }
            JsonNode receipt = JsonTrees.read(new String(o.readSmall(S3Uri.parse(folder + "/bringup.json")).orElseThrow(),
                    StandardCharsets.UTF_8));
            assertThat(receipt.get("outputs").get("api.token").asString()).isEqualTo("(sensitive value)");
        }
    }

    @Test
    void aFolderThatIsNoExecutionsIsRefusedBeforeAnythingRuns() throws Exception {
        DrRun r = apply(Map.of(), "--phase", "bringup", "--upload-receipts", "s3://dr-receipts-test");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("--upload-receipts: 's3://dr-receipts-test' names a bucket, not the execution's folder");
        assertThat(r.out()).isEmpty();
        assertThat(tmp.resolve("receipts")).doesNotExist();
    }

    @Test
    void aPlanThatDoesNotLoadStillLeavesAnActionRecord() throws Exception {
        DrRun r = DrRun.in(CliProcess.projectDir(), Map.of(ReceiptUpload.ENDPOINT_ENV, s3.endpoint().toString()), false, "",
                "apply", "app/src/test/resources/cli/broken.yaml", "--yes", "--phase", "restore", "--upload-receipts",
                "s3://dr-receipts-test/dr-receipts/exec-44");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        try (S3Objects o = new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(s3.endpoint()), true),
                false))) {
            List<String> keys = o.list(S3Uri.parse("s3://dr-receipts-test/dr-receipts/exec-44")).stream()
                    .map(software.amazon.awssdk.services.s3.model.S3Object::key).toList();
            assertThat(keys).containsExactly("dr-receipts/exec-44/codebuild-restore.json");
            JsonNode action = JsonTrees.read(new String(o.readSmall(S3Uri.parse("s3://dr-receipts-test/dr-receipts/exec-44"
                    + "/codebuild-restore.json")).orElseThrow(), StandardCharsets.UTF_8));
            assertThat(action.get("status").asString()).isEqualTo("invalid");
            assertThat(action.get("planDigest").isNull()).isTrue();
            assertThat(action.get("worker").asString()).isEqualTo("local");
        }
    }
}
