package dev.dr.receipt;

import dev.dr.diff.Canonical;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.source.NodePath;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a run was approved as, independent of live state: the plan as resolved (its files and the
 * plans it extends merged, the command-line overrides applied, the variables it reads filled in),
 * the attempt cap, and the apply flags that steer the run ({@code --kubeconfig},
 * {@code --dr-run-id}). A run's receipts carry it beside the planDigest, which also covers what
 * the live previews saw; {@code dr apply --resume} compares this one, since the run itself changed
 * the live state the planDigest saw.
 *
 * <p>Values from secret-looking variables are left out (a rotated credential is not a new plan),
 * and so are files the steps read (manifests, bundle sources): their changes show in the fresh
 * plan-diff a resume prints before it changes anything.
 */
public final class StaticDigest {
    static final int VERSION = 1;

    private StaticDigest() {}

    /**
     * @param flags the apply flags that steer the run, by name; null values are left out
     * @throws IllegalArgumentException for a plan without its resolved document
     */
    public static String of(LoadedPlan loaded, Map<String, String> flags) {
        JsonNode document = loaded.document().orElseThrow(() -> new IllegalArgumentException(
                "the plan's resolved document is needed for its static digest"));
        JsonNode plan = document.deepCopy();
        for (NodePath secret : loaded.sensitive()) {
            mask(plan, secret);
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("version", VERSION);
        n.set("plan", plan);
        Optional<Integer> cap = loaded.attemptCap();
        if (cap.isPresent()) {
            n.put("attemptCap", cap.get());
        } else {
            n.putNull("attemptCap");
        }
        ObjectNode f = n.putObject("flags");
        new TreeMap<>(flags).forEach((k, v) -> {
            if (v != null) {
                f.put(k, v);
            }
        });
        return Canonical.sha256(n);
    }

    /** Replaces the value at {@code path} (if the document has one) with a fixed placeholder. */
    private static void mask(JsonNode root, NodePath path) {
        if (path.isRoot()) {
            return;
        }
        JsonNode parent = root;
        for (Object segment : path.parent().segments()) {
            parent = segment instanceof Integer i ? parent.path(i) : parent.path(segment.toString());
        }
        Object last = path.last();
        if (parent instanceof ObjectNode o && o.has(last.toString())) {
            o.put(last.toString(), "(sensitive value)");
        } else if (parent instanceof ArrayNode a && last instanceof Integer i && i < a.size()) {
            a.set(i, a.stringNode("(sensitive value)"));
        }
    }
}
