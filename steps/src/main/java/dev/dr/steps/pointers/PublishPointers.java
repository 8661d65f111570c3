package dev.dr.steps.pointers;

import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Uri;
import dev.dr.json.JsonTrees;
import dev.dr.step.StepFailure;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Which side's publish outputs batch consumers read. Under {@code s3://<bucket>/<prefix>/} the
 * primary publishes to {@code publish/} and the DR environment to {@code dr/publish/};
 * {@code publish/canonical.json} names the side that is canonical. Promotion points it at DR,
 * failback back at primary; nothing else moves (no DNS cutover, no traffic switch). The
 * document replaced is kept as {@code publish/canonical.previous.json}.
 */
public final class PublishPointers {

    public static final String PRIMARY = "primary";
    public static final String DR = "dr";

    // the process's one default mapper, which the schema check uses too: built once, not per class
    private static final JsonMapper JSON = JsonMapper.shared();

    private final S3Objects s3;
    private final S3Uri root;
    private final String primaryPrefix;
    private final String drPrefix;

    public PublishPointers(S3Objects s3, S3Uri root, String primaryPrefix, String drPrefix) {
        this.s3 = s3;
        this.root = root;
        this.primaryPrefix = primaryPrefix;
        this.drPrefix = drPrefix;
    }

    /** The pointers of the plan's bucket and prefix, with the step's primaryPrefix and drPrefix. */
    public static PublishPointers of(dev.dr.step.StepContext ctx, S3Objects s3) throws StepFailure {
        String bucket = ctx.setting("inputs.bucket").filter(s -> !s.isBlank())
                .orElseThrow(() -> StepFailure.permanent("inputs.bucket is empty: the publish pointers live in s3://<bucket>/<prefix>"));
        S3Uri root;
        try {
            root = new S3Uri(bucket, ctx.setting("inputs.prefix").orElse(""));
        } catch (IllegalArgumentException e) {
            throw StepFailure.permanent("inputs.bucket: " + e.getMessage());
        }
        return new PublishPointers(s3, root, ctx.with().path("primaryPrefix").asString("publish"),
                ctx.with().path("drPrefix").asString("dr/publish"));
    }

    public S3Uri canonicalUri() {
        return root.resolve(primaryPrefix).resolve("canonical.json");
    }

    public S3Uri prefixOf(String side) {
        return root.resolve(DR.equals(side) ? drPrefix : primaryPrefix);
    }

    /** The side canonical now; primary when no pointer was ever written (the state before any promotion). */
    public String canonical() throws StepFailure {
        Optional<byte[]> doc = s3.readSmall(canonicalUri());
        if (doc.isEmpty()) {
            return PRIMARY;
        }
        JsonNode n;
        try {
            n = JsonTrees.read(new String(doc.get(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw StepFailure.permanent(canonicalUri() + ": not JSON: " + e.getMessage());
        }
        String side = n.path("canonical").asString("");
        if (!PRIMARY.equals(side) && !DR.equals(side)) {
            throw StepFailure.permanent(canonicalUri() + ": canonical is '" + side + "', expected primary or dr");
        }
        return side;
    }

    /** Points consumers at {@code side}, keeping the document it replaces. */
    public void pointAt(String side, String reason, String at) throws StepFailure {
        Optional<byte[]> before = s3.readSmall(canonicalUri());
        if (before.isPresent()) {
            s3.put(root.resolve(primaryPrefix).resolve("canonical.previous.json"), before.get(), "application/json");
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("canonical", side);
        o.put("publish_prefix", prefixOf(side).toString());
        o.put("changed_at", at);
        o.put("reason", reason);
        s3.put(canonicalUri(), (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n")
                .getBytes(StandardCharsets.UTF_8), "application/json");
    }
}
