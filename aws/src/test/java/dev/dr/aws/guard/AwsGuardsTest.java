package dev.dr.aws.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.AwsStubs;
import dev.dr.aws.S3Settings;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The preflight guards against WireMock answering as STS, EC2 and ECR do. */
class AwsGuardsTest {

    static final String ACCOUNT = "048622080012";
    static final String REGISTRY = ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com";
    static final String DIGEST = "sha256:" + "4f2d".repeat(16);
    static final String IMAGE = REGISTRY + "/jobintel@" + DIGEST;

    AwsStubs aws;
    AwsGuards guards;

    @BeforeEach
    void start() {
        aws = AwsStubs.start();
        guards = new AwsGuards(aws.settings());
    }

    @AfterEach
    void stop() {
        guards.close();
        aws.close();
    }

    // ---- account --------------------------------------------------------------------------

    @Test
    void theCallersAccountIsThePlans() {
        aws.stsCallerIdentity(ACCOUNT);
        assertThat(guards.account(ACCOUNT)).isEqualTo(new GuardResult("account", true,
                "caller account 048622080012 as the plan says (arn:aws:sts::048622080012:assumed-role/dr-operator/drill)"));
        assertThat(aws.forms("GetCallerIdentity")).singleElement()
                .satisfies(f -> assertThat(f).containsEntry("Version", "2011-06-15"));
    }

    @Test
    void anotherAccountIsRefusedNamingBoth() {
        aws.stsCallerIdentity("111122223333", "arn:aws:iam::111122223333:user/alice");
        GuardResult r = guards.account(ACCOUNT);
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).isEqualTo("caller account 111122223333, plan says 048622080012 (arn:aws:iam::111122223333:user/alice)");
    }

    @Test
    void accessDeniedIsNotOkAndNamesTheError() {
        aws.queryError("GetCallerIdentity", 403, "AccessDenied",
                "User: arn:aws:iam::048622080012:user/ci is not authorized to perform: sts:GetCallerIdentity");
        GuardResult r = guards.account(ACCOUNT);
        assertThat(r.name()).isEqualTo("account");
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).isEqualTo("sts:GetCallerIdentity: AccessDenied (HTTP 403): access denied for the current AWS credentials"
                + ": User: arn:aws:iam::048622080012:user/ci is not authorized to perform: sts:GetCallerIdentity");
        assertThat(aws.count("GetCallerIdentity")).as("a 403 is not retried").isEqualTo(1);
    }

    @Test
    void anUnreachableApiIsNotOkRatherThanAnException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        S3Settings nowhere = new S3Settings(Optional.of("us-east-1"), Optional.of(URI.create("http://127.0.0.1:" + port)), true);
        try (AwsGuards g = new AwsGuards(nowhere)) {
            GuardResult r = g.account(ACCOUNT);
            assertThat(r.ok()).isFalse();
            assertThat(r.detail()).startsWith("sts:GetCallerIdentity: ").containsIgnoringCase("connect");
            GuardResult arch = g.instanceArch("t4g.medium");
            assertThat(arch.ok()).isFalse();
            assertThat(arch.detail()).startsWith("ec2:DescribeInstanceTypes t4g.medium: ");
        }
    }

    // ---- region ---------------------------------------------------------------------------

    @Test
    void theClientsRegionIsThePlans() {
        assertThat(guards.region("us-east-1")).isEqualTo(new GuardResult("region", true, "clients use region us-east-1 as the plan says"));
        try (AwsGuards elsewhere = new AwsGuards(aws.settings("eu-west-1"))) {
            assertThat(elsewhere.region("us-east-1"))
                    .isEqualTo(new GuardResult("region", false, "clients use region eu-west-1, plan says us-east-1"));
        }
        assertThat(aws.requests()).as("the region is known without asking AWS").isEmpty();
    }

    @Test
    void withoutARegionInTheSettingsTheSdksChainDecides() {
        String before = System.getProperty("aws.region");
        System.setProperty("aws.region", "eu-central-1");
        try (AwsGuards chain = new AwsGuards(new S3Settings(Optional.empty(), Optional.empty(), true))) {
            assertThat(chain.region("us-east-1")).isEqualTo(new GuardResult("region", false,
                    "clients use region eu-central-1 (from the SDK's region chain: AWS_REGION, profile), plan says us-east-1"));
        } finally {
            if (before == null) {
                System.clearProperty("aws.region");
            } else {
                System.setProperty("aws.region", before);
            }
        }
    }

    // ---- image digest ---------------------------------------------------------------------

    @Test
    void anOciIndexWithBothPlatformsPasses() {
        aws.ecrImage(ACCOUNT, "jobintel", DIGEST, AwsStubs.OCI_INDEX,
                AwsStubs.manifestList(AwsStubs.OCI_INDEX, "linux/amd64", "linux/arm64/v8", "unknown/unknown"));
        GuardResult r = guards.imageDigest(IMAGE);
        assertThat(r).isEqualTo(new GuardResult("image-digest", true,
                "jobintel@sha256:4f2d4f2d4f2d is a manifest list with linux/amd64, linux/arm64/v8"));
        String body = aws.bodies("BatchGetImage").get(0);
        assertThat(body).contains("\"registryId\":\"048622080012\"", "\"repositoryName\":\"jobintel\"",
                "\"imageDigest\":\"" + DIGEST + "\"", AwsStubs.OCI_INDEX, AwsStubs.DOCKER_MANIFEST_LIST);
        assertThat(aws.requests().get(0).getHeader("Content-Type")).startsWith(AwsStubs.JSON_11);
    }

    @Test
    void aDockerManifestListWithBothPlatformsPasses() {
        aws.ecrImage(ACCOUNT, "team/jobintel", DIGEST, AwsStubs.DOCKER_MANIFEST_LIST,
                AwsStubs.manifestList(AwsStubs.DOCKER_MANIFEST_LIST, "linux/arm64", "linux/amd64"));
        GuardResult r = guards.imageDigest(REGISTRY + "/team/jobintel@" + DIGEST);
        assertThat(r.ok()).as(r.detail()).isTrue();
    }

    @Test
    void aListWithoutArm64IsRefusedNamingWhatIsMissing() {
        aws.ecrImage(ACCOUNT, "jobintel", DIGEST, AwsStubs.OCI_INDEX,
                AwsStubs.manifestList(AwsStubs.OCI_INDEX, "linux/amd64", "linux/arm/v7"));
        assertThat(guards.imageDigest(IMAGE)).isEqualTo(new GuardResult("image-digest", false,
                "jobintel@sha256:4f2d4f2d4f2d lacks linux/arm64 (its manifest list has linux/amd64, linux/arm/v7)"));
    }

    @Test
    void aListWithNeitherPlatformNamesBoth() {
        aws.ecrImage(ACCOUNT, "jobintel", DIGEST, AwsStubs.OCI_INDEX, AwsStubs.manifestList(AwsStubs.OCI_INDEX, "windows/amd64"));
        assertThat(guards.imageDigest(IMAGE).detail()).startsWith("jobintel@sha256:4f2d4f2d4f2d lacks linux/amd64 and linux/arm64");
    }

    @Test
    void aSinglePlatformManifestIsRefused() {
        aws.ecrImage(ACCOUNT, "jobintel", DIGEST, AwsStubs.DOCKER_MANIFEST, AwsStubs.singleManifest(AwsStubs.DOCKER_MANIFEST));
        assertThat(guards.imageDigest(IMAGE)).isEqualTo(new GuardResult("image-digest", false,
                "jobintel@sha256:4f2d4f2d4f2d is a single-platform image (" + AwsStubs.DOCKER_MANIFEST
                        + "), not a manifest list: DR needs linux/amd64 and linux/arm64"));
    }

    @Test
    void aDigestEcrDoesNotHoldIsRefused() {
        aws.ecrImageMissing("jobintel", DIGEST);
        assertThat(guards.imageDigest(IMAGE)).isEqualTo(new GuardResult("image-digest", false,
                "image jobintel@sha256:4f2d4f2d4f2d not found in registry 048622080012 (us-east-1): ImageNotFound: Requested image not found"));
    }

    @Test
    void aMissingRepositoryIsRefused() {
        aws.jsonError(AwsStubs.ECR + ".BatchGetImage", 400, "RepositoryNotFoundException",
                "The repository with name 'jobintel' does not exist in the registry with id '048622080012'");
        assertThat(guards.imageDigest(IMAGE)).isEqualTo(new GuardResult("image-digest", false,
                "repository jobintel not found in registry 048622080012 (us-east-1)"));
    }

    @Test
    void aTagIsRefusedWithoutAskingEcr() {
        GuardResult r = guards.imageDigest(REGISTRY + "/jobintel:2026-11-29");
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).isEqualTo("the image ref is a tag, not a digest: DR runs a digest-pinned image, "
                + "<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<64 hex digits>");
        assertThat(guards.imageDigest(REGISTRY + "/jobintel").detail()).startsWith("the image ref has no digest");
        assertThat(guards.imageDigest(REGISTRY + "/jobintel:v1@" + DIGEST).detail()).contains("names a tag as well as the digest");
        assertThat(guards.imageDigest(REGISTRY + "/jobintel@sha256:abc").detail()).contains("64 lower-case hex digits");
        assertThat(guards.imageDigest("ghcr.io/acme/jobintel@" + DIGEST).detail()).startsWith("registry ghcr.io is not a private ECR registry");
        assertThat(guards.imageDigest("jobintel@" + DIGEST).detail()).startsWith("the image ref names no registry");
        // the same registry grammar as the pull secret's: a region is a region
        assertThat(guards.imageDigest("048622080012.dkr.ecr.localhost.amazonaws.com/jobintel@" + DIGEST).detail())
                .startsWith("registry 048622080012.dkr.ecr.localhost.amazonaws.com is not a private ECR registry");
        assertThat(guards.imageDigest(REGISTRY + "/JobIntel@" + DIGEST).detail()).contains("no valid repository name");
        assertThat(guards.imageDigest("").detail()).startsWith("no image ref given");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void aFipsRegistryOfAnotherAccountIsChecked() {
        aws.ecrImage("111122223333", "jobintel", DIGEST, AwsStubs.OCI_INDEX,
                AwsStubs.manifestList(AwsStubs.OCI_INDEX, "linux/amd64", "linux/arm64"));
        GuardResult r = guards.imageDigest("111122223333.dkr.ecr-fips.us-west-2.amazonaws.com/jobintel@" + DIGEST);
        assertThat(r.ok()).as(r.detail()).isTrue();
        assertThat(aws.bodies("BatchGetImage").get(0)).contains("\"registryId\":\"111122223333\"");
        assertThat(aws.requests().get(0).getHeader("Authorization")).as("unsigned, as the settings say").isNull();
    }

    @Test
    void ecrDenyingAccessIsNotOkAndNamesTheError() {
        aws.jsonError(AwsStubs.ECR + ".BatchGetImage", 400, "AccessDeniedException",
                "User: arn:aws:iam::048622080012:user/ci is not authorized to perform: ecr:BatchGetImage");
        GuardResult r = guards.imageDigest(IMAGE);
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).isEqualTo("ecr:BatchGetImage jobintel@sha256:4f2d4f2d4f2d: AccessDeniedException (HTTP 400)"
                + ": access denied for the current AWS credentials"
                + ": User: arn:aws:iam::048622080012:user/ci is not authorized to perform: ecr:BatchGetImage");
    }

    // ---- instance architecture --------------------------------------------------------------

    @Test
    void anArmInstanceTypePasses() {
        aws.ec2InstanceType("t4g.medium", "arm64");
        assertThat(guards.instanceArch("t4g.medium")).isEqualTo(new GuardResult("instance-arch", true, "t4g.medium supports arm64"));
        assertThat(aws.forms("DescribeInstanceTypes")).singleElement()
                .satisfies(f -> assertThat(f).containsEntry("InstanceType.1", "t4g.medium").containsEntry("Version", "2016-11-15"));
    }

    @Test
    void anX86InstanceTypeIsRefused() {
        aws.ec2InstanceType("t3.medium", "x86_64");
        aws.ec2InstanceType("t4g.large", "arm64");
        assertThat(guards.instanceArch("t3.medium")).isEqualTo(new GuardResult("instance-arch", false,
                "t3.medium supports x86_64, not arm64: the DR runner needs an ARM type (t4g.*)"));
        assertThat(guards.instanceArch("t4g.large").ok()).isTrue();
    }

    @Test
    void anUnknownInstanceTypeOrADeniedCallIsNotOk() {
        aws.ec2Error("DescribeInstanceTypes", 400, "InvalidInstanceType", "The following supplied instance types do not exist: [t9g.huge]");
        assertThat(guards.instanceArch("t9g.huge").detail()).isEqualTo("ec2:DescribeInstanceTypes t9g.huge: InvalidInstanceType (HTTP 400)");
        aws.reset();
        aws.ec2Error("DescribeInstanceTypes", 403, "UnauthorizedOperation", "You are not authorized to perform this operation.");
        GuardResult r = guards.instanceArch("t4g.medium");
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).isEqualTo("ec2:DescribeInstanceTypes t4g.medium: UnauthorizedOperation (HTTP 403): "
                + "access denied for the current AWS credentials");
        assertThat(guards.instanceArch(" ").detail()).isEqualTo("no instance type given");
    }
}
