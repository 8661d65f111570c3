package dev.dr.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' strategic merge patch (what kubectl apply and kubectl diff send for built-in kinds),
 * which the mock API server refuses (415): a JSON merge patch whose lists with a patch merge key
 * (containers by name, ...) are merged item by item, with its directives ($patch: replace|delete,
 * $retainKeys, $setElementOrder/F, $deleteFromPrimitiveList/F). Also the JSON merge patch itself
 * (RFC 7386), which the mock does not apply by the RFC's rules (its merge is Jackson's updating reader).
 */
final class StrategicMerge {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ORDER = "$setElementOrder/";
    private static final String DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";

    private final KubeOpenApi api;

    StrategicMerge(KubeOpenApi api) {
        this.api = api;
    }

    /** The original with the strategic merge patch applied, under the original's schema. */
    JsonNode apply(JsonNode schema, JsonNode original, JsonNode patch) {
        return merge(schema, original, patch);
    }

    private JsonNode merge(JsonNode schemaRef, JsonNode original, JsonNode patch) {
        if (!(patch instanceof ObjectNode p)) {
            return patch.deepCopy();
        }
        if ("replace".equals(p.path("$patch").asString(""))) {
            ObjectNode replaced = p.deepCopy();
            replaced.remove("$patch");
            return replaced;
        }
        JsonNode schema = schemaRef == null ? null : api.resolve(schemaRef);
        ObjectNode out = original instanceof ObjectNode o ? o.deepCopy() : NODES.objectNode();
        for (Map.Entry<String, JsonNode> e : p.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.startsWith("$")) {
                continue;
            }
            JsonNode fieldSchema = field(schema, key);
            if (value.isNull()) {
                out.remove(key);
            } else if (value.isObject() && "delete".equals(value.path("$patch").asString(""))) {
                out.remove(key);
            } else if (value.isObject()) {
                out.set(key, merge(fieldSchema, out.get(key), value));
            } else if (value.isArray()) {
                out.set(key, mergeList(fieldSchema, out.get(key), (ArrayNode) value));
            } else {
                out.set(key, value.deepCopy());
            }
        }
        for (Map.Entry<String, JsonNode> e : p.properties()) {
            String key = e.getKey();
            if (key.startsWith(DELETE_PRIMITIVE) && out.get(key.substring(DELETE_PRIMITIVE.length())) instanceof ArrayNode list) {
                Set<String> gone = new TreeSet<>();
                e.getValue().forEach(v -> gone.add(v.toString()));
                ArrayNode kept = NODES.arrayNode();
                list.forEach(v -> {
                    if (!gone.contains(v.toString())) {
                        kept.add(v);
                    }
                });
                out.set(key.substring(DELETE_PRIMITIVE.length()), kept);
            } else if (key.startsWith(ORDER) && out.get(key.substring(ORDER.length())) instanceof ArrayNode list) {
                out.set(key.substring(ORDER.length()), order(list, e.getValue(), mergeKey(field(schema, key.substring(ORDER.length())))));
            }
        }
        if (p.get("$retainKeys") instanceof ArrayNode retain) {
            Set<String> keep = new TreeSet<>();
            retain.forEach(k -> keep.add(k.asString()));
            new ArrayList<>(out.propertyNames()).stream().filter(k -> !keep.contains(k)).forEach(out::remove);
        }
        return out;
    }

    private JsonNode mergeList(JsonNode schemaRef, JsonNode original, ArrayNode patch) {
        JsonNode schema = schemaRef == null ? null : api.resolve(schemaRef);
        String key = mergeKey(schema);
        boolean merge = schema != null && "merge".equals(schema.path("x-kubernetes-patch-strategy").asString(""));
        if (!merge || !(original instanceof ArrayNode base)) {
            return withoutDirectives(patch);
        }
        ArrayNode out = base.deepCopy();
        if (key == null) {
            // a list of primitives merged as a set: the patch's values are added
            Set<String> have = new TreeSet<>();
            out.forEach(v -> have.add(v.toString()));
            patch.forEach(v -> {
                if (have.add(v.toString())) {
                    out.add(v.deepCopy());
                }
            });
            return out;
        }
        JsonNode items = schema.get("items");
        for (JsonNode item : patch) {
            int at = indexOf(out, key, item.get(key));
            if ("delete".equals(item.path("$patch").asString(""))) {
                if (at >= 0) {
                    out.remove(at);
                }
            } else if (at >= 0) {
                out.set(at, merge(items, out.get(at), item));
            } else {
                out.add(merge(items, null, item));
            }
        }
        return out;
    }

    /** The list's items in the order $setElementOrder gives; those it does not name keep their place after. */
    private static ArrayNode order(ArrayNode list, JsonNode order, String key) {
        ArrayNode out = NODES.arrayNode();
        List<JsonNode> rest = new ArrayList<>();
        list.forEach(rest::add);
        for (JsonNode o : order) {
            for (int i = 0; i < rest.size(); i++) {
                JsonNode item = rest.get(i);
                if (key == null ? item.equals(o) : item.path(key).equals(o.path(key))) {
                    out.add(item);
                    rest.remove(i);
                    break;
                }
            }
        }
        rest.forEach(out::add);
        return out;
    }

    private static int indexOf(ArrayNode list, String key, JsonNode value) {
        for (int i = 0; value != null && i < list.size(); i++) {
            if (value.equals(list.get(i).get(key))) {
                return i;
            }
        }
        return -1;
    }

    private static ArrayNode withoutDirectives(ArrayNode list) {
        ArrayNode out = list.deepCopy();
        out.forEach(v -> {
            if (v instanceof ObjectNode o) {
                o.remove("$patch");
            }
        });
        return out;
    }

    private static String mergeKey(JsonNode schema) {
        return schema == null || !schema.has("x-kubernetes-patch-merge-key") ? null
                : schema.get("x-kubernetes-patch-merge-key").asString();
    }

    private static JsonNode field(JsonNode schema, String key) {
        if (schema == null) {
            return null;
        }
        JsonNode p = schema.path("properties").get(key);
        if (p != null) {
            return p;
        }
        JsonNode additional = schema.get("additionalProperties");
        return additional != null && additional.isObject() ? additional : null;
    }

    /** RFC 7386: the target with the merge patch applied. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!(patch instanceof ObjectNode p)) {
            return patch.deepCopy();
        }
        ObjectNode out = target instanceof ObjectNode o ? o.deepCopy() : NODES.objectNode();
        for (Map.Entry<String, JsonNode> e : p.properties()) {
            if (e.getValue().isNull()) {
                out.remove(e.getKey());
            } else {
                out.set(e.getKey(), mergePatch(out.get(e.getKey()), e.getValue()));
            }
        }
        return out;
    }
}
