package dev.dr.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.guard.AwsGuards;
import dev.dr.aws.guard.GuardResult;
import dev.dr.step.StepFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The failures of the caller's identity as one line each: the SDK's real exceptions, from its
 * credential chain and from WireMock answering as STS, ECR and Step Functions do.
 */
class AwsErrorsTest {

    static final String ACCOUNT = "048622080012";
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
    void noCredentialsIsOneLineNamingWhatWasTriedAndWhatToSet(@TempDir Path home) throws Exception {
        Path empty = Files.createFile(home.resolve("credentials"));
        ProfileFile none = ProfileFile.builder().content(empty).type(ProfileFile.Type.CREDENTIALS).build();
        AwsCredentialsProviderChain chain = AwsCredentialsProviderChain.of(
                ProfileCredentialsProvider.builder().profileFile(none).profileName("drill").build());
        SdkClientException sdk = null;
        try {
            chain.resolveCredentials();
        } catch (SdkClientException e) {
            sdk = e;
        }
        assertThat(sdk).as("the SDK's chain finds nothing").isNotNull();

        StepFailure f = S3Errors.classify("sts:GetCallerIdentity", sdk);

        assertThat(f.getMessage()).startsWith("sts:GetCallerIdentity: no AWS credentials found (tried AWS_ACCESS_KEY_ID/"
                        + "AWS_SECRET_ACCESS_KEY, AWS_WEB_IDENTITY_TOKEN_FILE, profile 'drill' in ~/.aws/credentials")
                .contains("set AWS_PROFILE").contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
                .doesNotContain("\n").doesNotContain("AwsCredentialsProviderChain").hasSizeLessThan(400);
        assertThat(f.errorClass().id()).isEqualTo("permanent");
        assertThat(f.getCause()).as("the SDK's dump stays out of receipts").isNull();
    }

    @Test
    void anExpiredSessionSaysToRefreshIt() {
        aws.queryError("GetCallerIdentity", 403, "ExpiredToken", "The security token included in the request is expired");
        try (AwsGuards guards = new AwsGuards(aws.settings())) {
            GuardResult r = guards.account(ACCOUNT);
            assertThat(r.ok()).isFalse();
            assertThat(r.detail()).isEqualTo("sts:GetCallerIdentity: the AWS session token has expired (ExpiredToken,"
                    + " HTTP 403): refresh it (aws sso login --profile <profile>, or new temporary credentials from aws sts"
                    + " assume-role / get-session-token into AWS_SESSION_TOKEN) and run again");
        }
        assertThat(aws.count("GetCallerIdentity")).as("not retried").isEqualTo(1);
    }

    @Test
    void anExpiredSessionOfAJsonApiToo() {
        aws.jsonError(AwsStubs.ECR + ".BatchGetImage", 400, "ExpiredTokenException", "The security token included in the"
                + " request is expired");
        try (AwsGuards guards = new AwsGuards(aws.settings())) {
            String image = ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:" + AwsStubs.hex(1);
            assertThat(guards.imageDigest(image).detail())
                    .contains(": the AWS session token has expired (ExpiredTokenException, HTTP 400): refresh it");
        }
    }

    @Test
    void unrecognizedCredentialsSayWhichVariablesToCheck() {
        aws.queryError("GetCallerIdentity", 403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        try (AwsGuards guards = new AwsGuards(aws.settings())) {
            assertThat(guards.account(ACCOUNT).detail()).isEqualTo("sts:GetCallerIdentity: AWS does not recognize the"
                    + " credentials in use (InvalidClientTokenId, HTTP 403): the access key, secret or session token is"
                    + " wrong or was deleted; check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or the"
                    + " profile AWS_PROFILE names");
        }
    }

    @Test
    void accessDeniedNamesThePrincipalAndTheActionButNotTheResource() {
        String machine = "arn:aws:states:us-east-1:" + ACCOUNT + ":stateMachine:dr";
        aws.jsonError("AWSStepFunctions.ListExecutions", 400, "AccessDeniedException", "User: arn:aws:sts::" + ACCOUNT
                + ":assumed-role/ci/build is not authorized to perform: states:ListExecutions on resource: " + machine
                + " because no identity-based policy allows the states:ListExecutions action");
        try (SfnClient sfn = AwsClients.open(SfnClient.builder(), aws.settings(), true)) {
            StepFailure f = null;
            try {
                sfn.listExecutions(b -> b.stateMachineArn(machine));
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                f = S3Errors.classify("ListExecutions", e);
            }
            assertThat(f).isNotNull();
            assertThat(f.getMessage()).isEqualTo("ListExecutions: AccessDeniedException (HTTP 400): access denied for the"
                    + " current AWS credentials: User: arn:aws:sts::" + ACCOUNT + ":assumed-role/ci/build is not authorized"
                    + " to perform: states:ListExecutions");
        }
    }

    @Test
    void otherFailuresAreNotAboutTheIdentity() {
        aws.queryError("GetCallerIdentity", 400, "ValidationError", "1 validation error");
        try (AwsGuards guards = new AwsGuards(aws.settings())) {
            assertThat(guards.account(ACCOUNT).detail()).isEqualTo("sts:GetCallerIdentity: ValidationError (HTTP 400)");
        }
        assertThat(AwsErrors.identityProblem(SdkClientException.create("Unable to execute HTTP request"))).isEqualTo(Optional.empty());
    }
}
