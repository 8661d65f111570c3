package dev.dr.steps.aws.ecr;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image in a private ECR registry, {@code <account>.dkr.ecr.<region>.amazonaws.com/<repository>}
 * with a tag or digest: the registry the pull secret is for. The FIPS ({@code dkr.ecr-fips})
 * and China ({@code amazonaws.com.cn}) host names are ECR too.
 *
 * @param registryId the account that owns the registry
 * @param region     the registry's region; its tokens are valid there only
 * @param host       the registry host, as the kubelet matches it against image names
 * @param repository the repository within the registry, e.g. {@code jobintel}
 */
public record EcrImageRef(String registryId, String region, String host, String repository) {

    /** What an ECR image ref looks like, for messages. */
    public static final String EXPECTED = "<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag][@sha256:<digest>]";

    /**
     * A private ECR registry host: group 1 the account, group 2 the region. dr's other reader of
     * ECR refs, the image-digest guard, matches registries with the same pattern.
     */
    public static final Pattern REGISTRY_HOST = Pattern.compile("(\\d{12})\\.dkr\\.ecr(?:-fips)?\\.([a-z]{2}(?:-[a-z]+)+-\\d+)"
            + "\\.amazonaws\\.com(?:\\.cn)?");
    private static final String COMPONENT = "[a-z0-9]+(?:[._-][a-z0-9]+)*";
    /** A repository name: lower-case components separated by {@code /}. */
    public static final Pattern REPOSITORY = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern REST = Pattern.compile("(" + REPOSITORY.pattern() + ")"
            + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[a-z0-9]+:[0-9a-f]{32,})?");

    /**
     * Parses an image ref.
     *
     * @throws IllegalArgumentException when it is not an image in a private ECR registry; the
     *                                  message names its registry host, never the whole ref
     */
    public static EcrImageRef parse(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("no image ref: the pull secret is for the registry of the image, expected "
                    + EXPECTED);
        }
        int slash = ref.indexOf('/');
        String host = slash < 0 ? "" : ref.substring(0, slash);
        Matcher h = REGISTRY_HOST.matcher(host);
        if (!h.matches()) {
            String why = host.equals("public.ecr.aws") ? "ECR Public images are pulled without credentials"
                    : slash < 0 || !host.contains(".") ? "it names no registry host (Docker Hub?)"
                    : "registry " + host + " is not a private ECR registry";
            throw new IllegalArgumentException("the image ref is not an ECR image, so an ECR pull secret cannot serve it: "
                    + why + "; expected " + EXPECTED);
        }
        Matcher r = REST.matcher(ref.substring(slash + 1));
        if (!r.matches()) {
            throw new IllegalArgumentException("the image ref of registry " + host + " has no valid repository: expected "
                    + EXPECTED);
        }
        return new EcrImageRef(h.group(1), h.group(2), host, r.group(1));
    }
}
