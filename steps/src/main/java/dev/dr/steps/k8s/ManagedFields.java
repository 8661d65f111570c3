package dev.dr.steps.k8s;

import dev.dr.json.JsonTrees;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What dr applied to an object before, read from the object itself: the fields its server-side
 * apply owns (metadata.managedFields, manager {@value Applier#MANAGER}, operation Apply) or, on a
 * server without server-side apply, the last-applied-configuration annotation that the three-way
 * merge keeps. Both come back as one shape, an object with the applied fields (values are only
 * placeholders for owned fields), which {@link FieldDiff#removed} compares with the manifest.
 */
final class ManagedFields {
    private ManagedFields() {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What dr applied before, or null when it never applied this object (or the server keeps no record). */
    static JsonNode appliedBefore(JsonNode live) {
        for (JsonNode entry : live.path("metadata").path("managedFields")) {
            if (Applier.MANAGER.equals(entry.path("manager").asString("")) && "Apply".equals(entry.path("operation").asString(""))
                    && entry.path("subresource").asString("").isEmpty() && entry.path("fieldsV1").isObject()) {
                return fields(entry.path("fieldsV1"), "");
            }
        }
        String last = live.path("metadata").path("annotations").path(Applier.LAST_APPLIED).asString("");
        if (!last.isEmpty()) {
            try {
                return JsonTrees.read(last);
            } catch (RuntimeException e) {
                return null; // not ours to judge: an unreadable annotation only means no record
            }
        }
        return null;
    }

    /**
     * A FieldsV1 set as the shape of the object it names: {@code f:name} is a field,
     * {@code k:{"name":"web"}} a list item with that key, {@code v:...} an item of a set,
     * {@code i:N} an item by index, {@code .} the node itself.
     */
    static ObjectNode fields(JsonNode set, String enclosingList) {
        ObjectNode out = NODES.objectNode();
        for (var e : set.properties()) {
            if (e.getKey().startsWith("f:")) {
                String field = e.getKey().substring(2);
                out.set(field, value(field, enclosingList, e.getValue()));
            }
        }
        return out;
    }

    private static JsonNode value(String field, String enclosingList, JsonNode set) {
        boolean list = false;
        boolean object = false;
        for (String name : set.propertyNames()) {
            list |= name.startsWith("k:") || name.startsWith("v:") || name.startsWith("i:");
            object |= name.startsWith("f:");
        }
        if (list) {
            ArrayNode items = NODES.arrayNode();
            for (var e : set.properties()) {
                if (e.getKey().startsWith("k:")) {
                    ObjectNode item = fields(e.getValue(), field);
                    // The item's key, for matching; of a compound key (a port's containerPort and
                    // protocol) only the merge key: the rest may be a default nobody applied.
                    JsonNode key = JsonTrees.read(e.getKey().substring(2));
                    String merge = MergeKeys.of(field, enclosingList);
                    key.properties().forEach(k -> {
                        if (merge == null || merge.equals(k.getKey())) {
                            item.set(k.getKey(), k.getValue());
                        }
                    });
                    items.add(item);
                } else if (e.getKey().startsWith("v:")) {
                    items.add(JsonTrees.read(e.getKey().substring(2)));
                } else if (e.getKey().startsWith("i:")) {
                    items.add(fields(e.getValue(), field));
                }
            }
            return items;
        }
        return object ? fields(set, enclosingList) : NODES.stringNode("");
    }
}
