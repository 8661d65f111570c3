package dev.dr.steps.aws.guard;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A digest-pinned image in ECR, as the runbook requires for DR:
 * {@code <account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<64 hex>}. A tag names
 * whatever was pushed last under it, so a drill run from a tag may not run the release it
 * rehearses; tags are refused.
 *
 * @param registryId the registry's account id
 * @param region     the registry's region
 * @param repository the repository, e.g. {@code jobintel} or {@code team/jobintel}
 * @param digest     {@code sha256:<64 hex>}
 */
public record EcrImageRef(String registryId, String region, String repository, String digest) {

    // the registry and repository grammar of the pull secret's reader, so both accept the same refs
    private static final Pattern REGISTRY = dev.dr.steps.aws.ecr.EcrImageRef.REGISTRY_HOST;
    private static final Pattern REPOSITORY = dev.dr.steps.aws.ecr.EcrImageRef.REPOSITORY;
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final String FORM = "<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<64 hex digits>";

    /**
     * Parses {@code ref}. The exception's message says what is wrong and what was expected; it
     * names the registry host at most, never the whole ref.
     */
    public static EcrImageRef parse(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("no image ref given; expected " + FORM);
        }
        int at = ref.lastIndexOf('@');
        String name = at < 0 ? ref : ref.substring(0, at);
        int slash = name.indexOf('/');
        boolean tagged = name.lastIndexOf(':') > name.lastIndexOf('/');
        if (at < 0) {
            throw new IllegalArgumentException("the image ref " + (tagged ? "is a tag, not a digest" : "has no digest")
                    + ": DR runs a digest-pinned image, " + FORM);
        }
        if (!DIGEST.matcher(ref.substring(at + 1)).matches()) {
            throw new IllegalArgumentException("the image ref's digest must be sha256: and 64 lower-case hex digits; expected " + FORM);
        }
        if (tagged) {
            throw new IllegalArgumentException("the image ref names a tag as well as the digest; expected " + FORM);
        }
        if (slash < 0) {
            throw new IllegalArgumentException("the image ref names no registry; expected " + FORM);
        }
        String host = name.substring(0, slash);
        Matcher registry = REGISTRY.matcher(host);
        if (!registry.matches()) {
            throw new IllegalArgumentException("registry " + host + " is not a private ECR registry; expected " + FORM);
        }
        if (!REPOSITORY.matcher(name.substring(slash + 1)).matches()) {
            throw new IllegalArgumentException("the image ref of registry " + host + " has no valid repository name; expected " + FORM);
        }
        return new EcrImageRef(registry.group(1), registry.group(2), name.substring(slash + 1), ref.substring(at + 1));
    }

    /** {@code repository@sha256:} and the first 12 hex digits, for messages. */
    public String shortName() {
        return repository + "@" + digest.substring(0, "sha256:".length() + 12);
    }
}
