package dev.dr.aws.guard;

import dev.dr.aws.AwsClientRegistry;
import dev.dr.aws.AwsClients;
import dev.dr.aws.EcrImageRef;
import dev.dr.aws.S3Errors;
import dev.dr.aws.S3Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesResponse;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.BatchGetImageResponse;
import software.amazon.awssdk.services.ecr.model.Image;
import software.amazon.awssdk.services.ecr.model.ImageFailure;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * The runbook's AWS preflight checks: the caller's account and the clients' region are the
 * plan's, the release image is digest-pinned in ECR with linux/amd64 and linux/arm64, and the
 * runner's instance type is ARM. Each guard only reads (the clients are read-only) and
 * answers with a {@link GuardResult} rather than an exception: when the API itself fails
 * (denied, throttled, unreachable) the guard is not ok and says why, since a preflight that
 * could not look must stop the drill as surely as one that saw something wrong.
 *
 * <p>Clients come from an {@link AwsClientRegistry}: the run's, shared with the step previews,
 * or one of the guards' own that {@link #close} closes. Clients are opened on first use; the
 * guards may be checked from several threads at once.
 */
public final class AwsGuards implements AutoCloseable {

    /** The platforms a DR image must have: the primary runs amd64, the DR runner arm64. */
    static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64");

    private final S3Settings settings;
    private final AwsClientRegistry clients;
    /** Whether {@link #close} closes the clients: only those the guards opened for themselves. */
    private final boolean ownsClients;

    /** Guards that reach AWS through {@code settings} (e.g. {@link AwsClients#settings} of a receipt's outputs). */
    public AwsGuards(S3Settings settings) {
        this(settings, new AwsClientRegistry(), true);
    }

    /** The same with the run's clients, which stay open after {@link #close}. */
    public AwsGuards(S3Settings settings, AwsClientRegistry clients) {
        this(settings, clients, false);
    }

    private AwsGuards(S3Settings settings, AwsClientRegistry clients, boolean ownsClients) {
        this.settings = settings;
        this.clients = clients;
        this.ownsClients = ownsClients;
    }

    /** sts:GetCallerIdentity: the credentials in use belong to {@code expectedAccountId}. */
    public GuardResult account(String expectedAccountId) {
        return guarded("account", "sts:GetCallerIdentity", () -> {
            GetCallerIdentityResponse me = sts().getCallerIdentity();
            String seen = "caller account " + me.account();
            String who = " (" + me.arn() + ")";
            return me.account().equals(expectedAccountId)
                    ? GuardResult.ok("account", seen + " as the plan says" + who)
                    : GuardResult.refused("account", seen + ", plan says " + expectedAccountId + who);
        });
    }

    /**
     * The region the clients resolve (the settings' region, else the SDK's chain: AWS_REGION,
     * the profile) is {@code expectedRegion}. Nothing is sent.
     */
    public GuardResult region(String expectedRegion) {
        return guarded("region", "AWS region", () -> {
            Region r = sts().serviceClientConfiguration().region();
            String from = settings.region().isPresent() ? "" : " (from the SDK's region chain: AWS_REGION, profile)";
            String seen = "clients use region " + r.id() + from;
            return r.id().equals(expectedRegion)
                    ? GuardResult.ok("region", seen + " as the plan says")
                    : GuardResult.refused("region", seen + ", plan says " + expectedRegion);
        });
    }

    /**
     * ecr:BatchGetImage: {@code imageRef} is {@code <registry>/<repository>@sha256:<digest>}
     * in ECR, and its manifest list or image index has linux/amd64 and linux/arm64.
     */
    public GuardResult imageDigest(String imageRef) {
        String name = "image-digest";
        EcrImageRef ref;
        try {
            ref = EcrImageRef.parsePinned(imageRef);
        } catch (IllegalArgumentException e) {
            return GuardResult.refused(name, e.getMessage());
        }
        return guarded(name, "ecr:BatchGetImage " + ref.shortName(), () -> {
            BatchGetImageResponse r;
            try {
                r = ecr(ref.region()).batchGetImage(b -> b.registryId(ref.registryId()).repositoryName(ref.repository())
                        .imageIds(ImageIdentifier.builder().imageDigest(ref.digest()).build())
                        .acceptedMediaTypes(ImageManifest.ACCEPTED));
            } catch (RepositoryNotFoundException e) {
                return GuardResult.refused(name, "repository " + ref.repository() + " not found in registry "
                        + ref.registryId() + " (" + ref.region() + ")");
            } catch (ImageNotFoundException e) {
                return GuardResult.refused(name, notFound(ref, "ImageNotFound"));
            }
            Optional<Image> image = r.images().stream().filter(i -> i.imageManifest() != null).findFirst();
            if (image.isEmpty()) {
                List<String> why = new ArrayList<>();
                for (ImageFailure f : r.failures()) {
                    why.add(f.failureCodeAsString() + (f.failureReason() == null ? "" : ": " + f.failureReason()));
                }
                return GuardResult.refused(name, notFound(ref, why.isEmpty() ? "no image returned" : String.join("; ", why)));
            }
            ImageManifest m;
            try {
                m = ImageManifest.parse(image.get().imageManifest(), image.get().imageManifestMediaType());
            } catch (IllegalArgumentException e) {
                return GuardResult.refused(name, ref.shortName() + ": " + e.getMessage());
            }
            if (!m.list()) {
                return GuardResult.refused(name, ref.shortName() + " is a single-platform image (" + m.mediaType()
                        + "), not a manifest list: DR needs " + String.join(" and ", PLATFORMS));
            }
            List<String> missing = m.missing(PLATFORMS);
            String has = m.platforms().isEmpty() ? "no platform" : String.join(", ", m.platforms());
            return missing.isEmpty()
                    ? GuardResult.ok(name, ref.shortName() + " is a manifest list with " + has)
                    : GuardResult.refused(name, ref.shortName() + " lacks " + String.join(" and ", missing)
                            + " (its manifest list has " + has + ")");
        });
    }

    /** ec2:DescribeInstanceTypes: {@code instanceType} runs arm64, as the DR runner's image and sizing assume. */
    public GuardResult instanceArch(String instanceType) {
        String name = "instance-arch";
        if (instanceType == null || instanceType.isBlank()) {
            return GuardResult.refused(name, "no instance type given");
        }
        return guarded(name, "ec2:DescribeInstanceTypes " + instanceType, () -> {
            DescribeInstanceTypesResponse r = ec2().describeInstanceTypes(b -> b.instanceTypesWithStrings(instanceType));
            Optional<InstanceTypeInfo> info = r.instanceTypes().stream()
                    .filter(t -> instanceType.equals(t.instanceTypeAsString())).findFirst();
            if (info.isEmpty()) {
                return GuardResult.refused(name, "EC2 does not know instance type " + instanceType + " in " + regionName());
            }
            List<String> archs = info.get().processorInfo() == null ? List.of()
                    : info.get().processorInfo().supportedArchitecturesAsStrings();
            String seen = instanceType + " supports " + (archs.isEmpty() ? "no architecture" : String.join(", ", archs));
            return archs.contains("arm64")
                    ? GuardResult.ok(name, seen)
                    : GuardResult.refused(name, seen + ", not arm64: the DR runner needs an ARM type (t4g.*)");
        });
    }

    @Override
    public void close() {
        if (ownsClients) {
            clients.close();
        }
    }

    private interface Check {
        GuardResult run();
    }

    /** Runs {@code check}; a failure of the API becomes a guard that is not ok, with the classified reason. */
    private static GuardResult guarded(String name, String what, Check check) {
        try {
            return check.run();
        } catch (SdkException e) {
            return GuardResult.refused(name, S3Errors.classify(what, e).getMessage());
        } catch (RuntimeException e) {
            return GuardResult.refused(name, what + ": " + e.getMessage());
        }
    }

    private static String notFound(EcrImageRef ref, String why) {
        return "image " + ref.shortName() + " not found in registry " + ref.registryId() + " (" + ref.region() + "): " + why;
    }

    private String regionName() {
        return settings.region().orElse("the SDK's default region");
    }

    private StsClient sts() {
        return clients.client(StsClient.class, StsClient::builder, settings, true);
    }

    private Ec2Client ec2() {
        return clients.client(Ec2Client.class, Ec2Client::builder, settings, true);
    }

    /** ECR is asked in the registry's own region, which may differ from the target's. */
    private EcrClient ecr(String region) {
        return clients.client(EcrClient.class, EcrClient::builder,
                new S3Settings(Optional.of(region), settings.endpoint(), settings.unsigned()), true);
    }
}
