package dev.dr.compare;

import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** A JSON tree as its leaves under dotted keys, sorted; arrays are leaves (their order is behaviour). */
final class Flat {
    private Flat() {}

    static Map<String, JsonNode> of(JsonNode node) {
        Map<String, JsonNode> out = new TreeMap<>();
        add(node, "", out);
        return out;
    }

    private static void add(JsonNode node, String key, Map<String, JsonNode> out) {
        if (node == null || node.isMissingNode()) {
            return;
        }
        if (node.isObject() && !node.isEmpty()) {
            node.properties().forEach(e -> add(e.getValue(), key.isEmpty() ? e.getKey() : key + "." + e.getKey(), out));
            return;
        }
        out.put(key, node);
    }
}
