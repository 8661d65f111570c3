package dev.dr.aws;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image in a private ECR registry, {@code <account>.dkr.ecr.<region>.amazonaws.com/<repository>}
 * with a tag or digest. The FIPS ({@code dkr.ecr-fips}) and China ({@code amazonaws.com.cn}) host
 * names are ECR too.
 *
 * <p>This is dr's one image-ref grammar: plan validation ({@link #isPinned}, {@link #isTagged}),
 * the image-digest guard ({@link #parsePinned}) and the pull secret ({@link #parse}) read refs with
 * it, so a ref one of them accepts the others read the same way.
 *
 * @param registryId the account that owns the registry
 * @param region     the registry's region; its tokens are valid there only
 * @param host       the registry host, as the kubelet matches it against image names
 * @param repository the repository within the registry, e.g. {@code jobintel} or {@code team/jobintel}
 * @param tag        the tag, or null
 * @param digest     the digest, e.g. {@code sha256:<64 hex>}, or null
 */
public record EcrImageRef(String registryId, String region, String host, String repository, String tag, String digest) {

    /** What an ECR image ref looks like, for messages. */
    public static final String EXPECTED = "<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag][@sha256:<digest>]";
    /** What a digest-pinned ECR image ref looks like, for messages. */
    public static final String EXPECTED_PINNED = "<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<64 hex digits>";

    /** A private ECR registry host: group 1 the account, group 2 the region. */
    private static final Pattern REGISTRY_HOST = Pattern.compile("(\\d{12})\\.dkr\\.ecr(?:-fips)?\\.([a-z]{2}(?:-[a-z]+)+-\\d+)"
            + "\\.amazonaws\\.com(?:\\.cn)?");
    /** Any registry host, with an optional port. */
    private static final String ANY_HOST = "[a-z0-9][a-z0-9.-]*(?::[0-9]+)?";
    private static final String COMPONENT = "[a-z0-9]+(?:[._-][a-z0-9]+)*";
    /** A repository name: lower-case components separated by {@code /}. */
    private static final String REPOSITORY = COMPONENT + "(?:/" + COMPONENT + ")*";
    private static final String TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private static final String DIGEST = "[a-z0-9]+:[0-9a-f]{32,}";
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");
    /** What follows the registry host: group 1 the repository, 2 the tag, 3 the digest. */
    private static final Pattern REST = Pattern.compile("(" + REPOSITORY + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
    private static final Pattern ANY_PINNED = Pattern.compile(ANY_HOST + "/" + REPOSITORY + "@" + SHA256.pattern());
    private static final Pattern ANY_TAGGED = Pattern.compile(ANY_HOST + "/" + REPOSITORY + ":" + TAG);

    /**
     * Whether {@code ref} is {@code <registry>/<repository>@sha256:<64 hex>} in any registry: what a
     * plan may name before the guard checks, against ECR, that the image is there.
     */
    public static boolean isPinned(String ref) {
        return ANY_PINNED.matcher(ref).matches();
    }

    /** Whether {@code ref} is {@code <registry>/<repository>:<tag>} in any registry, with no digest. */
    public static boolean isTagged(String ref) {
        return ANY_TAGGED.matcher(ref).matches();
    }

    /**
     * Parses an image ref with a tag, a digest or both, as a pull secret needs it.
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
        return new EcrImageRef(h.group(1), h.group(2), host, r.group(1), r.group(2), r.group(3));
    }

    /**
     * Parses a digest-pinned image ref, as the runbook requires for DR:
     * {@code <account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<64 hex>}. A tag names
     * whatever was pushed last under it, so a drill run from a tag may not run the release it
     * rehearses; tags are refused. The exception's message says what is wrong and what was
     * expected; it names the registry host at most, never the whole ref.
     */
    public static EcrImageRef parsePinned(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("no image ref given; expected " + EXPECTED_PINNED);
        }
        int at = ref.lastIndexOf('@');
        String name = at < 0 ? ref : ref.substring(0, at);
        int slash = name.indexOf('/');
        boolean tagged = name.lastIndexOf(':') > name.lastIndexOf('/');
        if (at < 0) {
            throw new IllegalArgumentException("the image ref " + (tagged ? "is a tag, not a digest" : "has no digest")
                    + ": DR runs a digest-pinned image, " + EXPECTED_PINNED);
        }
        if (!SHA256.matcher(ref.substring(at + 1)).matches()) {
            throw new IllegalArgumentException("the image ref's digest must be sha256: and 64 lower-case hex digits; expected "
                    + EXPECTED_PINNED);
        }
        if (tagged) {
            throw new IllegalArgumentException("the image ref names a tag as well as the digest; expected " + EXPECTED_PINNED);
        }
        if (slash < 0) {
            throw new IllegalArgumentException("the image ref names no registry; expected " + EXPECTED_PINNED);
        }
        String host = name.substring(0, slash);
        Matcher registry = REGISTRY_HOST.matcher(host);
        if (!registry.matches()) {
            throw new IllegalArgumentException("registry " + host + " is not a private ECR registry; expected " + EXPECTED_PINNED);
        }
        Matcher rest = REST.matcher(ref.substring(slash + 1));
        if (!rest.matches()) {
            throw new IllegalArgumentException("the image ref of registry " + host + " has no valid repository name; expected "
                    + EXPECTED_PINNED);
        }
        return new EcrImageRef(registry.group(1), registry.group(2), host, rest.group(1), null, rest.group(3));
    }

    /** {@code repository@sha256:} and the first 12 hex digits (or the tag), for messages. */
    public String shortName() {
        if (digest == null) {
            return repository + ":" + tag;
        }
        int colon = digest.indexOf(':');
        return repository + "@" + digest.substring(0, Math.min(digest.length(), colon + 1 + 12));
    }
}
