package dev.dr.steps.bundle;

import dev.dr.json.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code control-plane/current.json}: which bundle is in force. The fields and their names
 * are the runbook's, so existing buckets keep working.
 */
public record Pointer(String bundleUri, String bundleSha256, String createdAt, String gitSha, String imageRefDigest) {

    // the process's one default mapper, which the schema check uses too: built once, not per class
    private static final JsonMapper JSON = JsonMapper.shared();

    /** The document, keys in the runbook's order, two-space indented, with a final newline. */
    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("bundle_uri", bundleUri);
        o.put("bundle_sha256", bundleSha256);
        o.put("created_at", createdAt);
        o.put("git_sha", gitSha);
        o.put("image_ref_digest", imageRefDigest);
        return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a pointer; every missing or malformed field is named in the message. */
    public static Pointer parse(byte[] json, String origin) throws BundleRefused {
        JsonNode n;
        try {
            n = JsonTrees.read(new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new BundleRefused(origin + ": not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new BundleRefused(origin + ": expected a JSON object with bundle_uri, bundle_sha256, created_at, git_sha, image_ref_digest");
        }
        List<String> problems = new ArrayList<>();
        String uri = field(n, "bundle_uri", "an s3:// URI", v -> v.startsWith("s3://"), problems);
        String sha = field(n, "bundle_sha256", "64 lower-case hex digits", v -> v.matches("[0-9a-f]{64}"), problems);
        String created = field(n, "created_at", "an RFC 3339 time", v -> !v.isBlank(), problems);
        String git = field(n, "git_sha", "a string", v -> true, problems);
        String image = field(n, "image_ref_digest", "a string", v -> true, problems);
        if (!problems.isEmpty()) {
            throw new BundleRefused(origin + ": " + String.join("; ", problems));
        }
        return new Pointer(uri, sha, created, git, image);
    }

    private static String field(JsonNode n, String name, String expected, java.util.function.Predicate<String> ok,
            List<String> problems) {
        JsonNode v = n.get(name);
        if (v == null || !v.isString()) {
            problems.add(name + ": missing, expected " + expected);
            return null;
        }
        if (!ok.test(v.asString())) {
            problems.add(name + ": '" + v.asString() + "' is not " + expected);
        }
        return v.asString();
    }
}
