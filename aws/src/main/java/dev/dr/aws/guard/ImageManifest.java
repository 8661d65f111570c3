package dev.dr.aws.guard;

import dev.dr.json.JsonTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What an image manifest ECR returned says about platforms. A manifest list (Docker) or an
 * image index (OCI) names one image per platform; a plain image manifest is one platform
 * only, which one its config blob would tell, so it cannot serve both the amd64 primary and
 * the arm64 DR runner.
 *
 * @param mediaType the manifest's media type
 * @param list      true for a manifest list or image index
 * @param platforms the platforms of a list, {@code os/architecture[/variant]}, in its order;
 *                  attestation entries ({@code unknown/unknown}) left out
 */
record ImageManifest(String mediaType, boolean list, List<String> platforms) {

    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_IMAGE = "application/vnd.docker.distribution.manifest.v2+json";
    static final String OCI_IMAGE = "application/vnd.oci.image.manifest.v1+json";

    /** What BatchGetImage is asked for: the lists first, and the plain manifests so a single-arch image is told apart from a missing one. */
    static final List<String> ACCEPTED = List.of(DOCKER_LIST, OCI_INDEX, DOCKER_IMAGE, OCI_IMAGE);

    private static final Set<String> LISTS = Set.of(DOCKER_LIST, OCI_INDEX);

    /**
     * Reads {@code manifest}; {@code mediaType} is ECR's imageManifestMediaType, which wins
     * over the manifest's own field (an OCI index may leave that out).
     */
    static ImageManifest parse(String manifest, String mediaType) {
        JsonNode m;
        try {
            m = JsonTrees.read(manifest);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the manifest ECR returned is not JSON: " + e.getMessage(), e);
        }
        String type = mediaType != null && !mediaType.isBlank() ? mediaType
                : m.path("mediaType").isString() ? m.path("mediaType").asString()
                : m.has("manifests") ? OCI_INDEX : "(no media type)";
        boolean list = LISTS.contains(type);
        List<String> platforms = new ArrayList<>();
        if (list) {
            for (JsonNode entry : m.path("manifests")) {
                JsonNode p = entry.path("platform");
                String os = p.path("os").asString("");
                String arch = p.path("architecture").asString("");
                if (os.isEmpty() || arch.isEmpty() || "unknown".equals(os) || "unknown".equals(arch)) {
                    continue;
                }
                String variant = p.path("variant").asString("");
                platforms.add(os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant));
            }
        }
        return new ImageManifest(type, list, List.copyOf(platforms));
    }

    /** Those of {@code wanted} ({@code os/architecture}) that no entry of the list provides, whatever its variant. */
    List<String> missing(List<String> wanted) {
        List<String> out = new ArrayList<>();
        for (String w : wanted) {
            if (platforms.stream().noneMatch(p -> p.equals(w) || p.startsWith(w + "/"))) {
                out.add(w);
            }
        }
        return out;
    }
}
