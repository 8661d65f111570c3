package dev.dr.steps.k8s;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * kubectl's client-side apply, computed here for an API server that has no server-side apply:
 * the manifest is merged onto the live object, and what the last applied manifest set but this
 * one no longer sets is removed. Fields nobody applied (the server's defaults, other clients'
 * writes) stay as they are. Keyed lists ({@link MergeKeys}) merge item by item, as Kubernetes'
 * strategic merge patch does: the manifest's items in its order, then the live items others
 * added; any other list is replaced whole. A field the manifest drops goes whole, except maps
 * owned key by key (labels, annotations, data), where only the keys applied before go.
 */
final class ThreeWayMerge {
    private ThreeWayMerge() {}

    /**
     * The object to store: {@code live} with {@code manifest} applied onto it; {@code lastApplied}
     * (null when unknown) says which fields an earlier apply set.
     */
    static JsonNode merge(JsonNode lastApplied, JsonNode manifest, JsonNode live) {
        return merge(lastApplied, manifest, live, "", "");
    }

    private static JsonNode merge(JsonNode original, JsonNode wanted, JsonNode current, String field, String enclosingList) {
        if (wanted.isObject() && current != null && current.isObject()) {
            ObjectNode out = ((ObjectNode) current).deepCopy();
            for (var e : wanted.properties()) {
                if (e.getValue().isNull()) {
                    out.remove(e.getKey());
                } else {
                    out.set(e.getKey(), merge(child(original, e.getKey()), e.getValue(), current.get(e.getKey()),
                            e.getKey(), enclosingList));
                }
            }
            if (original != null && original.isObject()) {
                for (var e : original.properties()) {
                    String name = e.getKey();
                    JsonNode live = out.get(name);
                    if (wanted.has(name) || live == null) {
                        continue;
                    }
                    JsonNode rest = MergeKeys.keyByKey(name, e.getValue()) && live.isObject()
                            ? merge(e.getValue(), JsonNodeFactory.instance.objectNode(), live, name, enclosingList) : null;
                    if (rest == null || rest.isEmpty()) {
                        out.remove(name);
                    } else {
                        out.set(name, rest);
                    }
                }
            }
            return out;
        }
        if (wanted.isArray() && current != null && current.isArray()) {
            String key = MergeKeys.usable(wanted, field, enclosingList);
            if (key != null) {
                return mergeList(original, wanted, current, key, field);
            }
        }
        return wanted.deepCopy();
    }

    private static ArrayNode mergeList(JsonNode original, JsonNode wanted, JsonNode current, String key, String field) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonNode item : wanted) {
            JsonNode live = MergeKeys.find(current, key, item.path(key));
            JsonNode before = MergeKeys.find(original, key, item.path(key));
            out.add(live == null ? item.deepCopy() : merge(before, item, live, "", field));
        }
        for (JsonNode live : current) {
            JsonNode k = live.path(key);
            boolean inManifest = MergeKeys.find(wanted, key, k) != null;
            boolean appliedBefore = MergeKeys.find(original, key, k) != null;
            if (!inManifest && !appliedBefore) {
                out.add(live.deepCopy());
            }
        }
        return out;
    }

    private static JsonNode child(JsonNode node, String name) {
        return node == null || !node.isObject() ? null : node.get(name);
    }
}
