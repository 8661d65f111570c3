package dev.dr.diff;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;
import dev.dr.json.JsonTrees;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Canonical JSON (keys sorted at every level, no whitespace) and its SHA-256. */
public final class Canonical {
    private Canonical() {}

    /** A copy of {@code node} whose object keys are sorted at every level. */
    public static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            List<String> keys = new ArrayList<>(obj.propertyNames());
            Collections.sort(keys);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (String k : keys) {
                out.set(k, sorted(obj.get(k)));
            }
            return out;
        }
        if (node instanceof ArrayNode arr) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            arr.forEach(n -> out.add(sorted(n)));
            return out;
        }
        return node;
    }

    public static String compact(JsonNode node) {
        return JsonTrees.compact(sorted(node));
    }

    public static String sha256(JsonNode node) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(compact(node).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
