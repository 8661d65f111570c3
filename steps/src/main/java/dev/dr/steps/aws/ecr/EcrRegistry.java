package dev.dr.steps.aws.ecr;

import dev.dr.aws.AwsClients;
import dev.dr.aws.EcrImageRef;
import dev.dr.aws.S3Errors;
import dev.dr.aws.S3Settings;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.GetAuthorizationTokenRequest;
import software.amazon.awssdk.services.ecr.model.GetAuthorizationTokenResponse;
import software.amazon.awssdk.services.ecr.model.Repository;

/**
 * The ECR API of the image's registry: an authorization token for apply, and for a preview a
 * read that tells whether the registry answers, without a token.
 */
public final class EcrRegistry implements AutoCloseable {
    private final EcrClient ecr;
    private final boolean readOnly;

    private EcrRegistry(EcrClient ecr, boolean readOnly) {
        this.ecr = ecr;
        this.readOnly = readOnly;
    }

    /**
     * @param readOnly for a preview or a dry run: only reads, and {@link #token} is refused
     *                 (AwsClients' read-only guard lets GetAuthorizationToken through, as its
     *                 name starts with Get; its answer is a credential all the same)
     */
    public static EcrRegistry open(S3Settings settings, boolean readOnly) {
        return new EcrRegistry(AwsClients.open(EcrClient.builder(), settings, readOnly), readOnly);
    }

    /**
     * Checks that the image's registry answers a read with the current credentials:
     * DescribeRepositories for the image's repository. It returns nothing secret, is in the
     * AmazonEC2ContainerRegistryReadOnly policy a pull role has, takes the registry id (so it
     * reaches another account's registry as the token would; DescribeRegistry only describes
     * the caller's own), and a missing repository shows before apply.
     *
     * @return the repository's URI, as ECR gives it
     */
    public String probe(EcrImageRef ref) throws StepFailure {
        String what = "ECR DescribeRepositories (registry " + ref.registryId() + ", " + ref.region() + ", repository "
                + ref.repository() + ")";
        try {
            List<Repository> found = ecr.describeRepositories(b -> b.registryId(ref.registryId())
                    .repositoryNames(ref.repository())).repositories();
            if (found.isEmpty()) {
                throw new StepFailure(ErrorClass.NOT_FOUND, what + ": no such repository");
            }
            return found.get(0).repositoryUri();
        } catch (SdkException e) {
            throw classify(what, e);
        }
    }

    /** GetAuthorizationToken for the image's registry. Never in a preview. */
    public RegistryAuth token(EcrImageRef ref) throws StepFailure {
        if (readOnly) {
            throw new IllegalStateException("a preview fetches no ECR token");
        }
        String what = "ECR GetAuthorizationToken (registry " + ref.registryId() + ", " + ref.region() + ")";
        GetAuthorizationTokenResponse r;
        try {
            r = ecr.getAuthorizationToken(request(ref));
        } catch (SdkException e) {
            throw classify(what, e);
        }
        if (r.authorizationData().isEmpty()) {
            throw StepFailure.permanent(what + ": the answer holds no authorization data");
        }
        AuthorizationData d = r.authorizationData().get(0);
        if (d.expiresAt() == null) {
            throw StepFailure.permanent(what + ": the answer gives no expiry");
        }
        try {
            return RegistryAuth.of(ref.host(), d.authorizationToken(), d.expiresAt());
        } catch (IllegalArgumentException e) {
            throw StepFailure.permanent(what + ": " + e.getMessage());
        }
    }

    /**
     * ECR deprecated registryIds because a token now serves every registry of its region the
     * caller may pull from. It is still sent: the answer's proxy endpoint then names the image's
     * registry, and an ECR that still scopes tokens gets the right one.
     */
    @SuppressWarnings("deprecation")
    private static GetAuthorizationTokenRequest request(EcrImageRef ref) {
        return GetAuthorizationTokenRequest.builder().registryIds(ref.registryId()).build();
    }

    /**
     * Like S3's failures (an AccessDeniedException, which ECR answers with HTTP 400, names the
     * principal and the missing permission there), and a missing repository is not found.
     */
    static StepFailure classify(String what, SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null
                && "RepositoryNotFoundException".equals(s.awsErrorDetails().errorCode())) {
            return new StepFailure(ErrorClass.NOT_FOUND, what + ": no such repository", e);
        }
        return S3Errors.classify(what, e);
    }

    @Override
    public void close() {
        ecr.close();
    }
}
