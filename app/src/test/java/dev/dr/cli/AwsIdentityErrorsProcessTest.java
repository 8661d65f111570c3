package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.sfn.SfnStubs;
import dev.dr.command.ExitCodes;
import dev.dr.step.kit.EarlierRunReceipt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that reach AWS, run as dr is run, in an environment that has no credentials at
 * all (nothing inherited, HOME an empty folder, the instance metadata service off) or whose
 * credentials AWS refuses (a Step Functions stand-in answering as AWS does): each failure is
 * one line that names what was tried and what to set, and it is the last line of the output.
 */
class AwsIdentityErrorsProcessTest {

    static final String ACCOUNT = "048622080012";
    static final String MACHINE = "arn:aws:states:us-east-1:" + ACCOUNT + ":stateMachine:signalcraft-dr-orchestrator-state-machine";
    static final String EXECUTION = MACHINE.replace(":stateMachine:", ":execution:") + ":drill-20261129";
    static final String IMAGE = ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:" + "4f2d".repeat(16);
    static final String NO_CREDENTIALS = "no AWS credentials found (tried AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,"
            + " AWS_WEB_IDENTITY_TOKEN_FILE, profile 'default' in ~/.aws/credentials and ~/.aws/config, container role,"
            + " instance role (metadata disabled)): set AWS_PROFILE to a configured profile (aws configure, aws sso login)"
            + " or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";

    @TempDir
    Path tmp;

    /** No credentials anywhere: only what the test names is in the environment. */
    Map<String, String> bare() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("RECEIPT_DIR", tmp.resolve("receipts").toString());
        env.put("DR_LOCK_DIR", tmp.resolve("locks").toString());
        return env;
    }

    CliProcess.Result dr(Map<String, String> env, String... args) throws Exception {
        return CliProcess.run(CliProcess.classesDir(), env, List.of(), args);
    }

    static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** The whole of stderr is a few short lines, with no trace of the SDK's provider-chain dump. */
    static void short_(CliProcess.Result r) {
        assertThat(r.err()).hasSizeLessThan(1_000).doesNotContain("AwsCredentialsProviderChain", "SystemPropertyCredentialsProvider");
    }

    @Test
    void failbackWithoutCredentialsRefusesOnTheAccountGuardInOneLineAndWritesNothing() throws Exception {
        CliProcess.Result r = dr(bare(), "failback", "--bucket", "drill-artifacts", "--dr-run-id", "dr-run-7",
                "--image-ref", IMAGE, "--teardown", "false", "--confirm1", "FAILBACK", "--confirm2", "CONFIRM-dr-run-7", "--yes");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.GUARD_REFUSED);
        short_(r);
        assertThat(lastLine(r.err())).isEqualTo("dr: guard refused: account: sts:GetCallerIdentity: " + NO_CREDENTIALS);
        assertThat(tmp.resolve("receipts")).doesNotExist();
    }

    @Test
    void failbackWithoutItsConfirmationsSaysSoBeforeAskingAws() throws Exception {
        CliProcess.Result r = dr(bare(), "failback", "--bucket", "drill-artifacts", "--dr-run-id", "dr-run-7",
                "--image-ref", IMAGE, "--yes");
        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("dr: failback refused: the first confirmation is missing (--confirm1 FAILBACK)."
                + " Nothing was run.\n");
        assertThat(tmp.resolve("receipts")).doesNotExist();
    }

    @Test
    void theLiveStepPreviewsAndTheFailbackDryRunSayItInOneLine() throws Exception {
        Path earlier = EarlierRunReceipt.write(tmp.resolve("earlier"), "dr-run-7", Map.of());
        Map<String, String> env = bare();
        env.put("BUCKET", "drill-artifacts");
        env.put("IMAGE_REF", IMAGE);
        CliProcess.Result plan = dr(env, "plan", "plans/failback.yaml", "--from-receipt", earlier.toString(),
                "--teardown=false");
        assertThat(plan.out()).contains("failback.check-promoted: live preview failed (permanent: GET"
                + " s3://drill-artifacts/jobintel/publish/canonical.json: " + NO_CREDENTIALS + ")");
        short_(plan);
        assertThat(lastLine(plan.err())).isEqualTo("dr: warning: the run would fail: failback.check-promoted: GET"
                + " s3://drill-artifacts/jobintel/publish/canonical.json: " + NO_CREDENTIALS);

        CliProcess.Result dry = dr(env, "failback", "--bucket", "drill-artifacts", "--dr-run-id", "dr-run-7",
                "--image-ref", IMAGE, "--teardown", "false", "--from-receipt", earlier.toString(), "--dry-run");
        assertThat(dry.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        short_(dry);
        assertThat(lastLine(dry.err())).isEqualTo("dr: the run would be refused: failback.check-promoted: GET"
                + " s3://drill-artifacts/jobintel/publish/canonical.json: " + NO_CREDENTIALS + "; nothing was run");
        assertThat(tmp.resolve("receipts")).doesNotExist();
    }

    @Test
    void statusApproveEcrPullSecretAndBundlePublishWithoutCredentials() throws Exception {
        Map<String, String> env = bare();
        CliProcess.Result status = dr(env, "status", "--state-machine-arn", MACHINE, "--expected-account-id", ACCOUNT,
                "--region", "us-east-1");
        assertThat(status.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(status.err()).isEqualTo("dr status: ListExecutions of " + MACHINE + ": " + NO_CREDENTIALS + "\n");

        CliProcess.Result approve = dr(env, "approve", "--execution-arn", EXECUTION, "--expected-account-id", ACCOUNT,
                "--approver", "alice", "--ticket", "CHG-1234", "--region", "us-east-1");
        assertThat(approve.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(approve.err()).isEqualTo("dr approve: sts:GetCallerIdentity: " + NO_CREDENTIALS + "; nothing approved\n");

        Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig.yaml"), String.join("\n", "apiVersion: v1",
                "kind: Config", "clusters: [{name: c, cluster: {server: \"http://127.0.0.1:9\"}}]",
                "contexts: [{name: c, context: {cluster: c, user: u}}]", "current-context: c",
                "users: [{name: u, user: {token: t}}]", ""));
        CliProcess.Result secret = dr(env, "ecr-pull-secret", "--dry-run", "--image-ref", IMAGE, "--kubeconfig",
                kubeconfig.toString());
        assertThat(secret.exit()).isEqualTo(ExitCodes.PHASE_FAILED);
        short_(secret);
        assertThat(lastLine(secret.err())).isEqualTo("dr ecr-pull-secret: ECR DescribeRepositories (registry " + ACCOUNT
                + ", us-east-1, repository jobintel): " + NO_CREDENTIALS);

        Path source = tmp.resolve("primary");
        for (String f : List.of("candidates/boards.yaml", "alerts/rules.yaml", "providers/providers.json", "scoring/weights.yaml")) {
            Files.createDirectories(source.resolve(f).getParent());
            Files.writeString(source.resolve(f), "{}\n");
        }
        CliProcess.Result publish = dr(env, "bundle", "publish", "--bucket", "drill-artifacts", "--image-ref-digest", IMAGE,
                "--source", source.toString(), "--region", "us-east-1", "--git-sha", "abc123");
        assertThat(publish.exit()).isEqualTo(ExitCodes.PHASE_FAILED);
        short_(publish);
        assertThat(lastLine(publish.err())).isEqualTo("dr bundle publish: GET s3://drill-artifacts/jobintel/control-plane/"
                + "current.json: " + NO_CREDENTIALS);
    }

    @Test
    void anExpiredSessionAndADeniedCallAgainstAStandIn() throws Exception {
        SfnStubs aws = SfnStubs.start();
        try {
            Map<String, String> env = bare();
            env.put("AWS_ACCESS_KEY_ID", "ASIAEXAMPLEEXAMPLE00");
            env.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
            env.put("AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjEXAMPLE");
            aws.caller(ACCOUNT);
            aws.fail("ListExecutions", 400, "ExpiredTokenException", "The security token included in the request is expired");
            CliProcess.Result status = dr(env, "status", "--state-machine-arn", MACHINE, "--expected-account-id", ACCOUNT,
                    "--region", "us-east-1", "--endpoint-url", aws.endpoint().toString());
            assertThat(status.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
            assertThat(status.err()).isEqualTo("dr status: ListExecutions of " + MACHINE + ": the AWS session token has"
                    + " expired (ExpiredTokenException, HTTP 400): refresh it (aws sso login --profile <profile>, or new"
                    + " temporary credentials from aws sts assume-role / get-session-token into AWS_SESSION_TOKEN) and run"
                    + " again\n");
            assertThat(status.err()).doesNotContain("IQoJb3JpZ2luX2VjEXAMPLE", "wJalrXUtnFEMI");

            aws.fail("DescribeExecution", 400, "AccessDeniedException", "User: arn:aws:sts::" + ACCOUNT
                    + ":assumed-role/dr-operator/alice is not authorized to perform: states:DescribeExecution on resource: "
                    + EXECUTION);
            CliProcess.Result approve = dr(env, "approve", "--execution-arn", EXECUTION, "--expected-account-id", ACCOUNT,
                    "--approver", "alice", "--ticket", "CHG-1234", "--region", "us-east-1", "--endpoint-url",
                    aws.endpoint().toString());
            assertThat(approve.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
            assertThat(lastLine(approve.err())).endsWith(": AccessDeniedException (HTTP 400): access denied for the current"
                    + " AWS credentials: User: arn:aws:sts::" + ACCOUNT + ":assumed-role/dr-operator/alice is not authorized"
                    + " to perform: states:DescribeExecution; nothing approved");
        } finally {
            aws.close();
        }
    }

    @Test
    void aBundleCommandWithoutARegionSaysWhereItLookedInOneLine() throws Exception {
        Path source = tmp.resolve("primary");
        for (String f : List.of("candidates/boards.yaml", "alerts/rules.yaml", "providers/providers.json", "scoring/weights.yaml")) {
            Files.createDirectories(source.resolve(f).getParent());
            Files.writeString(source.resolve(f), "{}\n");
        }
        String noRegion = "S3 client: no AWS region found (tried AWS_REGION, the system property aws.region, profile"
                + " 'default' in ~/.aws/config, the instance metadata): pass --region or set AWS_REGION";
        CliProcess.Result publish = dr(bare(), "bundle", "publish", "--bucket", "drill-artifacts", "--image-ref-digest", IMAGE,
                "--source", source.toString(), "--git-sha", "abc123", "--dry-run");
        assertThat(publish.exit()).isEqualTo(ExitCodes.PHASE_FAILED);
        assertThat(publish.err()).hasSizeLessThan(1_000).doesNotContain("DefaultAwsRegionProviderChain", "internal error");
        assertThat(lastLine(publish.err())).isEqualTo("dr bundle publish: " + noRegion);
        CliProcess.Result fetch = dr(bare(), "bundle", "fetch", "--bucket", "drill-artifacts", "--dest-dir",
                tmp.resolve("fetched").toString());
        assertThat(fetch.exit()).isEqualTo(ExitCodes.PHASE_FAILED);
        assertThat(lastLine(fetch.err())).isEqualTo("dr bundle fetch: " + noRegion);
        assertThat(tmp.resolve("fetched")).as("nothing written").doesNotExist();
    }
}
